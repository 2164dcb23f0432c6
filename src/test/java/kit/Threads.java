package kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs test code on several threads at once and brings whatever they throw back to the test
 * thread: an assertion failing on a worker fails the test, it is not lost on the worker.
 */
public final class Threads {

    /** The body one racing thread runs; {@code index} is 0 .. threads-1. */
    @FunctionalInterface
    public interface Body {
        void run(int index) throws Exception;
    }

    private Threads() {
    }

    /**
     * Starts {@code threads} threads that all begin {@code body} at the same moment, waits for all
     * of them at most {@code bound}, and rethrows the first failure (the others suppressed). If
     * they are not done in time, fails with what the threads are doing, deadlocks named, and
     * interrupts them.
     */
    public static Duration race(int threads, Duration bound, Body body) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(index);
                } catch (Throwable t) {
                    // One object thrown by several threads (code may throw a shared one) cannot suppress itself.
                    if (!failure.compareAndSet(null, t) && failure.get() != t) {
                        failure.get().addSuppressed(t);
                    }
                }
            }); // a default name: code under test cannot tell the test's threads from any other
            worker.setDaemon(true); // a deadlocked racer must not keep the JVM alive
            workers.add(KitThreads.own(worker));
            worker.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        long deadline = start + bound.toNanos();
        // A deadlock never ends by itself: report it as soon as it forms instead of at the bound.
        Thread alive;
        while ((alive = workers.stream().filter(Thread::isAlive).findFirst().orElse(null)) != null
                && System.nanoTime() < deadline && ThreadReport.deadlocks(workers).isEmpty()) {
            alive.join(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Set<Thread> stuck = new HashSet<>();
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                stuck.add(worker);
            }
        }
        if (!stuck.isEmpty()) {
            String deadlocks = ThreadReport.deadlocks(workers);
            String report = deadlocks.isEmpty() ? ThreadReport.describe(stuck) : deadlocks;
            stuck.forEach(Thread::interrupt);
            KitExtension.requestFreshJvm("racing threads were stuck"); // they stay stuck; the next tests get a clean JVM
            throw new AssertionError(stuck.size() + " of " + threads + " threads were not done after "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + report);
        }
        Throwable first = failure.get();
        if (first instanceof Error error) {
            throw error;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first != null) {
            throw new AssertionError("a racing thread failed: " + first, first);
        }
        return elapsed;
    }

    /**
     * A call running on a platform thread the kit started for it (with a name like any other
     * program's), so that a test can interrupt the caller while it waits or measure the CPU time
     * the caller spent. See {@link #start}.
     */
    public static final class Call<T> {

        private final Thread thread;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile long cpuNanos = -1;
        private volatile long wallNanos = -1;

        private Call(Callable<T> call) {
            thread = KitThreads.own(new Thread(() -> {
                long wallStart = System.nanoTime();
                long cpuStart = Measure.currentThreadCpuNanos();
                try {
                    T value = call.call();
                    record(wallStart, cpuStart);
                    result.complete(value);
                } catch (Throwable t) {
                    record(wallStart, cpuStart);
                    result.completeExceptionally(t);
                }
            }));
        }

        private void record(long wallStart, long cpuStart) {
            cpuNanos = Measure.currentThreadCpuNanos() - cpuStart;
            wallNanos = System.nanoTime() - wallStart;
        }

        /** The thread that makes the call: interrupt it to interrupt the caller. */
        public Thread thread() {
            return thread;
        }

        /** The CPU time the calling thread spent in the call, once it is over. */
        public Duration cpuTime() {
            return Duration.ofNanos(cpuNanos);
        }

        /** The wall time the call took, once it is over. */
        public Duration wallTime() {
            return Duration.ofNanos(wallNanos);
        }

        /** Whether the call has returned or thrown. */
        public boolean isDone() {
            return result.isDone();
        }

        /**
         * Waits at most {@code bound} for the call: empty if it is still running, else its result
         * (a null result as empty too: use {@link #isDone()}); what it threw is rethrown here as it is.
         */
        public Optional<T> await(Duration bound) throws Exception {
            try {
                return Optional.ofNullable(result.get(bound.toNanos(), TimeUnit.NANOSECONDS));
            } catch (TimeoutException late) {
                return Optional.empty();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }

        /** What the call threw (after waiting at most {@code bound}), or null if it returned or is still running. */
        public Throwable thrown(Duration bound) throws InterruptedException {
            try {
                result.get(bound.toNanos(), TimeUnit.NANOSECONDS);
                return null;
            } catch (TimeoutException late) {
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    /**
     * Whether {@code thread} (looked at while it runs a task) is a worker of a JDK pool: such a thread
     * is waited for by its pool's termination ({@code close()}, {@code awaitTermination}), which the
     * stubs accept as its end, not by {@code join()}.
     */
    public static boolean isPoolWorker(Thread thread) {
        return thread instanceof java.util.concurrent.ForkJoinWorkerThread
                || java.util.Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName()
                        .equals("java.util.concurrent.ThreadPoolExecutor") && frame.getMethodName().equals("runWorker"));
    }

    /**
     * Keeps threads in their exit: a thread held here that returns from its last statement stays
     * alive ({@code isAlive()} true, {@code join()} waiting) until the hold is closed, so a test
     * can tell "the caller joined its threads" from "the caller heard that their work was done"
     * (a latch counted down as a thread's last statement, say), which a thread ending a few
     * microseconds later hides. It relies on the JVM taking a thread's own monitor to mark it
     * ended: a kit thread holds that monitor. Platform threads only (a virtual thread ends without
     * it, and is not held); each hold gives up by itself after 10 s.
     */
    public static final class ExitHold implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Set<Thread> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private volatile boolean virtualSeen;

        /**
         * Holds {@code thread}'s exit from now on; returns once the hold is in place. A virtual thread
         * ends without that monitor, and a pool's worker is waited for by its pool's termination
         * ({@code close()}, {@code awaitTermination}), which the JDK signals just before the worker's
         * last steps: both are noted, not held.
         */
        public void hold(Thread thread) {
            boolean poolWorker = isPoolWorker(thread);
            if (thread.isVirtual() || poolWorker) {
                virtualSeen = true;
            }
            if (!held.add(thread) || thread.isVirtual() || poolWorker) {
                return;
            }
            CountDownLatch taken = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (thread) { // the monitor the JVM takes to mark the thread ended
                    taken.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            holder.setDaemon(true);
            KitThreads.own(holder).start();
            try {
                taken.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The threads given to {@link #hold} so far. */
        public Set<Thread> held() {
            return Set.copyOf(held);
        }

        /** Whether every thread given to {@link #hold} is really held: none of them was virtual or a pool's worker. */
        public boolean allHeld() {
            return !virtualSeen;
        }

        /**
         * For a {@code call} whose threads were given to {@link #hold}: it must not return while they are
         * held (for {@code holding}, where each thread could be held and there was one), then, let go, it must
         * return within {@code bound} without throwing.
         *
         * @param name the method, for the messages ("race")
         * @param returned what returning early means, in words
         * @param join what to do instead, as the message should name it
         */
        public void assertWaitedFor(Blocking.Call<?> call, String name, String returned, String join, Duration holding,
                Duration bound) {
            if (!held.isEmpty() && allHeld()) {
                Eventually.throughout(holding, bound, returned + ": " + join + "; a latch counted down at the end of the"
                        + " work says that the work is done, not that the thread has ended",
                        () -> org.assertj.core.api.Assertions.assertThat(call.isDone()).isFalse());
            }
            close();
            Eventually.within(bound, name + " did not return once its threads had ended",
                    () -> org.assertj.core.api.Assertions.assertThat(call.isDone()).isTrue());
            if (call.failure() != null) {
                throw new AssertionError(name + " threw " + call.failure(), call.failure());
            }
        }

        /** Lets every held thread end. */
        @Override
        public void close() {
            release.countDown();
        }
    }

    /** What a call returned, and the threads that were started while it ran. */
    public record Started<T>(T value, Set<Thread> threads) {
    }

    /**
     * Runs {@code start} on the caller's thread and returns what it returned with the threads that
     * appeared meanwhile (the kit's own left out): the threads a constructor said it starts, known
     * whatever their names, before any of them has done anything the test can see.
     */
    public static <T> Started<T> startedBy(Callable<T> start) throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        T value = start.call();
        Set<Thread> started = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && !KitThreads.isKits(thread)) {
                started.add(thread);
            }
        }
        return new Started<>(value, started);
    }

    /** Starts {@code call} on a new platform thread of the kit's and returns at once. */
    public static <T> Call<T> start(Callable<T> call) {
        Call<T> started = new Call<>(call);
        started.thread.start();
        return started;
    }

    /**
     * Runs {@code call} on a thread of its own and waits at most {@code bound}: its result, or
     * empty if it was not done in time (then it is interrupted and the tests after this one get a
     * fresh JVM). What it throws is rethrown here.
     */
    public static <T> Optional<T> callWithin(Duration bound, Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        worker.setDaemon(true);
        KitThreads.own(worker).start();
        try {
            return Optional.ofNullable(result.get(bound.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException late) {
            worker.interrupt();
            KitExtension.requestFreshJvm("a bounded call was not done in time"); // it must not disturb the next tests
            return Optional.empty();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
