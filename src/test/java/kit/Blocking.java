package kit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Observes threads that ought to be waiting: whether they are parked (blocked in a lock, a
 * condition, a queue, a latch) rather than running, and how much CPU time threads burn while
 * nothing is there for them to do. A thread that loops on {@code poll()} or {@code isEmpty()}
 * is RUNNABLE and uses a CPU; one blocked in {@code take()} or {@code await()} is WAITING and
 * uses none.
 */
public final class Blocking {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Blocking() {
    }

    /** Whether {@code thread} is alive and parked: WAITING, TIMED_WAITING or BLOCKED (on a monitor). */
    public static boolean isWaiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    /**
     * Whether {@code thread} has left its last frame (its {@code run()} is over) but has not ended: a platform
     * thread does so while another thread holds its monitor, which it takes to wake those in {@code join()}.
     */
    public static boolean isEnding(Thread thread) {
        return thread.getState() == Thread.State.BLOCKED && thread.getStackTrace().length == 0 && thread.isAlive();
    }

    /** Waits until every one of {@code threads} is parked, at most {@code bound}; fails with {@code why} first. */
    public static void awaitWaiting(Duration bound, String why, Collection<Thread> threads) {
        Eventually.within(bound, why, () -> {
            List<Thread> running = threads.stream().filter(t -> !isWaiting(t)).toList();
            if (!running.isEmpty()) {
                throw new AssertionError("not parked:\n" + ThreadReport.describe(running));
            }
        });
    }

    /**
     * A call made on a thread of its own (a daemon platform thread with a default name, so that
     * the code under test cannot tell it from any other), whose progress the test can watch: is
     * it parked, has it returned, with what.
     */
    public static final class Call<T> {
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile Throwable thrown; // written before result completes
        private final Thread thread;

        private Call(Callable<T> call) {
            thread = new Thread(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable t) {
                    thrown = t;
                    result.completeExceptionally(t);
                }
            });
            thread.setDaemon(true); // a call stuck for ever must not keep the JVM alive
            thread.start();
        }

        public Thread thread() {
            return thread;
        }

        public boolean isDone() {
            return result.isDone();
        }

        /** Whether the call is still under way and its thread parked. */
        public boolean isWaiting() {
            return !result.isDone() && Blocking.isWaiting(thread);
        }

        /** What it returned, or null if it has not returned (or threw). */
        public T now() {
            return result.isCompletedExceptionally() ? null : result.getNow(null);
        }

        /** What it threw, as it was thrown; null if it has not (yet). */
        public Throwable failure() {
            return result.isCompletedExceptionally() ? thrown : null;
        }
    }

    /**
     * Calls {@code call} on a thread of its own and waits for it at most {@code bound}: what it
     * returned, or what it threw, rethrown as it was (checked or not, not wrapped). If it is not
     * done in time, fails with {@code why} (asked for then) first, interrupts it, and asks for a fresh JVM for the
     * tests after this one.
     */
    public static <T> T within(Duration bound, java.util.function.Supplier<String> why, Callable<T> call) {
        Call<T> running = start(call);
        try {
            running.result.get(bound.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException late) {
            running.thread.interrupt();
            KitExtension.requestFreshJvm("a bounded call was not done in time");
            throw new AssertionError(why.get() + "\n" + ThreadReport.describe(List.of(running.thread)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a call", e);
        } catch (java.util.concurrent.ExecutionException failed) {
            // thrown below, as it was
        }
        if (running.failure() != null) {
            throw Blocking.<RuntimeException>sneaky(running.failure());
        }
        return running.now();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Starts {@code call} on a thread of its own. */
    public static <T> Call<T> start(Callable<T> call) {
        return new Call<>(call);
    }

    /** Starts {@code work} on a thread of its own. */
    public static Call<Void> run(Measure.Work work) {
        return new Call<>(() -> {
            work.run();
            return null;
        });
    }

    /**
     * The CPU time each live platform thread but the caller used during {@code window} (the
     * caller parks meanwhile). Virtual threads run on carrier threads, which are counted.
     */
    public static CpuUse cpuUse(Duration window) {
        Map<Thread, Long> before = cpuTimes();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // a measuring window, not a wait for something to happen
        }
        Map<Thread, Long> after = cpuTimes();
        Map<Thread, Duration> used = new HashMap<>();
        after.forEach((thread, nanos) -> {
            long used0 = nanos - before.getOrDefault(thread, 0L);
            if (used0 > 0) {
                used.put(thread, Duration.ofNanos(used0));
            }
        });
        return new CpuUse(Duration.ofNanos(System.nanoTime() - start), used);
    }

    private static Map<Thread, Long> cpuTimes() {
        Map<Thread, Long> times = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(thread.threadId());
            if (nanos >= 0) {
                times.put(thread, nanos);
            }
        }
        return times;
    }

    /** CPU time used per thread over a window of wall time. */
    public record CpuUse(Duration window, Map<Thread, Duration> byThread) {

        /** The CPU time all the threads used together. */
        public Duration total() {
            return byThread.values().stream().reduce(Duration.ZERO, Duration::plus);
        }

        /** The busiest threads, one line each: "'name' 480 ms". */
        public String busiest(int threads) {
            return byThread.entrySet().stream()
                    .sorted(Map.Entry.<Thread, Duration>comparingByValue(Comparator.reverseOrder()))
                    .limit(threads)
                    .map(e -> "'" + e.getKey().getName() + "' " + e.getValue().toMillis() + " ms")
                    .collect(Collectors.joining(", "));
        }

        @Override
        public String toString() {
            return total().toMillis() + " ms of CPU in " + window.toMillis() + " ms (busiest: " + busiest(3) + ")";
        }
    }
}
