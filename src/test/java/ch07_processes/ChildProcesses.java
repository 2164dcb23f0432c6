package ch07_processes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    /**
     * How often each child's CPU time is read: long enough for the operating system, which counts it
     * in ticks of 10 ms, to show a child that computes, on a busy machine or one CPU too.
     */
    private static final long CPU_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A child that used less CPU time than this in one period did not compute in it (an idle JVM uses next to none). */
    private static final long COMPUTING_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Every child's CPU time so far, read at one moment. */
    private record CpuReading(long nanos, Map<Long, Long> cpuNanos) {
    }

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
    private final List<CpuReading> cpu = new CopyOnWriteArrayList<>();
    private long lastCpuNanos;
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
            if (System.nanoTime() - lastCpuNanos >= CPU_PERIOD_NANOS) {
                lastCpuNanos = System.nanoTime();
                Map<Long, Long> used = new HashMap<>();
                handles.values().forEach(child -> child.info().totalCpuDuration()
                        .ifPresent(time -> used.put(child.pid(), time.toNanos())));
                cpu.add(new CpuReading(lastCpuNanos, used));
            }
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

    /**
     * Of the periods of {@link #CPU_PERIOD_NANOS} in which a child computed, the share in which two or
     * more computed: close to 1 when the children compute at the same time (on one CPU too, where
     * they take turns many times a period), close to 0 when they compute one after another.
     */
    double computedTogether() {
        long any = 0;
        long together = 0;
        for (int i = 1; i < cpu.size(); i++) {
            int computing = computingIn(cpu.get(i - 1), cpu.get(i));
            any += computing >= 1 ? 1 : 0;
            together += computing >= 2 ? 1 : 0;
        }
        return any == 0 ? 0 : (double) together / any;
    }

    private static int computingIn(CpuReading before, CpuReading after) {
        int computing = 0;
        for (Map.Entry<Long, Long> used : after.cpuNanos().entrySet()) {
            if (used.getValue() - before.cpuNanos().getOrDefault(used.getKey(), 0L) >= COMPUTING_NANOS) {
                computing++;
            }
        }
        return computing;
    }

    /** Which children computed in each period, for a failure message: "A" for the first child seen, ... */
    String whoComputed() {
        List<Long> pids = children().stream().map(Child::pid).toList();
        StringBuilder periods = new StringBuilder();
        for (int i = 1; i < cpu.size(); i++) {
            StringBuilder who = new StringBuilder();
            for (Map.Entry<Long, Long> used : cpu.get(i).cpuNanos().entrySet()) {
                if (used.getValue() - cpu.get(i - 1).cpuNanos().getOrDefault(used.getKey(), 0L) >= COMPUTING_NANOS) {
                    who.append((char) ('A' + pids.indexOf(used.getKey())));
                }
            }
            periods.append(who.isEmpty() ? "-" : who.chars().sorted().collect(StringBuilder::new,
                    StringBuilder::appendCodePoint, StringBuilder::append)).append(' ');
        }
        return "children computing in each " + TimeUnit.NANOSECONDS.toMillis(CPU_PERIOD_NANOS) + " ms: "
                + periods.toString().strip();
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
