package ch07_processes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the child processes of this JVM while an exercise runs: which were started, when the test
 * first saw each and when each ended. The exercises report process ids; this is how the tests check
 * them, and see for themselves what ran at the same time and what was left running. Close it to stop
 * watching and destroy whatever child is still alive, so that a wrong exercise cannot leave
 * processes behind for the next test.
 */
final class ChildProcesses implements AutoCloseable {

    /** How often the children are listed. */
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One child process: when it was first seen, and when it ended (-1 while it runs). */
    record Child(ProcessHandle handle, long seenNanos, long endedNanos) {

        long pid() {
            return handle.pid();
        }

        boolean ended() {
            return endedNanos >= 0;
        }
    }

    private final Map<Long, ProcessHandle> handles = new ConcurrentHashMap<>();
    private final Map<Long, Long> seen = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Long>> ended = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    private volatile boolean stop;
    private final Thread watcher;

    ChildProcesses() {
        watcher = new Thread(this::watch); // a default name: the code under test cannot tell it apart
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (!stop) {
            look();
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    private void look() {
        ProcessHandle.current().children().forEach(child -> {
            if (handles.putIfAbsent(child.pid(), child) == null) {
                seen.put(child.pid(), System.nanoTime());
                ended.put(child.pid(), child.onExit().thenApply(gone -> System.nanoTime()));
            }
        });
    }

    /**
     * Every child seen so far, in the order first seen. A child that has ended is given the time its
     * end was noticed, waiting a moment for the notice if it has only just ended.
     */
    List<Child> children() {
        look();
        List<Child> all = new ArrayList<>();
        handles.forEach((pid, handle) -> all.add(new Child(handle, seen.get(pid), endedNanos(handle))));
        all.sort((a, b) -> Long.compare(a.seenNanos(), b.seenNanos()));
        return all;
    }

    private long endedNanos(ProcessHandle handle) {
        if (handle.isAlive()) {
            return -1;
        }
        try {
            return ended.get(handle.pid()).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    /** The children still alive now. */
    List<Child> alive() {
        return children().stream().filter(c -> c.handle().isAlive()).toList();
    }

    /** Milliseconds from the start of watching to {@code nanos}. */
    long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }

    @Override
    public void close() {
        stop = true;
        try {
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Child child : alive()) {
            child.handle().destroyForcibly();
        }
    }
}
