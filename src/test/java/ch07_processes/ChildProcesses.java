package ch07_processes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

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
     * How much of the children's CPU time one window of {@link #computedTogether()} holds: 10 of
     * the operating system's 10 ms ticks, so that rounding to a tick moves a share by a tenth at most.
     */
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Every child's CPU time so far, read at one moment. */
    private record CpuReading(Map<Long, Long> cpuNanos) {
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

    /** The test JVM's children before this watch began (a broker an earlier chapter's tests started): none is the code's. */
    private final Set<ProcessHandle> before = ProcessHandle.current().children().collect(Collectors.toSet());
    private final Map<Long, ProcessHandle> handles = new ConcurrentHashMap<>();
    private final Map<Long, Long> seen = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Long>> ended = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    private final List<CpuReading> cpu = new CopyOnWriteArrayList<>();
    private final boolean watchingCpu;
    private volatile boolean stop;
    private final Thread watcher;

    ChildProcesses() {
        this(false);
    }

    /** Watches the children and, for {@link #computedTogether()}, the CPU time each uses. */
    static ChildProcesses watchingCpu() {
        return new ChildProcesses(true);
    }

    private ChildProcesses(boolean watchingCpu) {
        this.watchingCpu = watchingCpu;
        watcher = new Thread(this::watch); // a default name: the code under test cannot tell it apart
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (!stop) {
            look();
            if (watchingCpu) {
                Map<Long, Long> used = new HashMap<>();
                handles.values().forEach(child -> child.info().totalCpuDuration()
                        .ifPresent(time -> used.put(child.pid(), time.toNanos())));
                cpu.add(new CpuReading(used));
            }
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    private void look() {
        ProcessHandle.current().children().filter(child -> !before.contains(child)).forEach(child -> {
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
     * The share of the children's CPU time that two of them spent computing together: their CPU time
     * is cut into windows of {@link #WINDOW_NANOS} of it (windows follow the CPU the children got, not
     * the clock, so a busy machine makes them longer, not emptier), and in each the two children that
     * computed most count twice the smaller of their parts as together. Close to 1 when two compute
     * at once (on one CPU too, where they take turns many times a window), close to 0 when one
     * computes while the other waits for a number; a JVM starting up computes too.
     */
    double computedTogether() {
        long together = 0;
        long all = 0;
        Map<Long, Long> windowStart = cpu.isEmpty() ? Map.of() : cpu.get(0).cpuNanos();
        for (CpuReading reading : cpu) {
            Map<Long, Long> before = windowStart;
            List<Long> parts = reading.cpuNanos().entrySet().stream()
                    .map(used -> used.getValue() - before.getOrDefault(used.getKey(), 0L))
                    .sorted((a, b) -> Long.compare(b, a)).toList();
            long sum = parts.stream().mapToLong(Long::longValue).sum();
            if (sum >= WINDOW_NANOS) {
                together += parts.size() >= 2 ? 2 * parts.get(1) : 0;
                all += parts.size() >= 2 ? parts.get(0) + parts.get(1) : parts.get(0);
                windowStart = reading.cpuNanos();
            }
        }
        return all == 0 ? 0 : (double) together / all;
    }

    /** The CPU time each child used, in the order first seen, for a failure message. */
    String cpuUsed() {
        Map<Long, Long> most = new HashMap<>();
        cpu.forEach(reading -> reading.cpuNanos().forEach((pid, nanos) -> most.merge(pid, nanos, Math::max)));
        return children().stream().map(c -> TimeUnit.NANOSECONDS.toMillis(most.getOrDefault(c.pid(), 0L)) + " ms")
                .toList().toString();
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
