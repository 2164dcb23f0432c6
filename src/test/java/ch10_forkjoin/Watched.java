package ch10_forkjoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import kit.KitExtension;
import kit.Measure;

/**
 * Watches the calls an exercise makes into the test's own objects (a list's get, a comparator's
 * compare): which threads made them, how many each, and how many were in progress at once. Runs the
 * exercise inside a fork/join pool of the test, so that the tests can see whether its forks ran on
 * that pool's workers.
 */
final class Watched {

    /** Workers of the test's pool: more than two, so that stealing shows on one CPU as on two. */
    static final int WORKERS = 3;
    /** A thread with less than this share of the CPU time did not take a real part in the work. */
    static final double PART = 0.05;
    /** Threads computing at the same time are RUNNABLE together in most samples they could be; taking turns, in almost none. */
    static final double AT_ONCE = 0.5;

    /** One call in this many has its stack looked at: enough to see every leaf of the tests' sizes, cheap enough. */
    private static final int NESTING_SAMPLE = 1024;
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final Map<Thread, LongAdder> calls = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final ThreadLocal<long[]> count = ThreadLocal.withInitial(() -> new long[1]); // per thread: no contention
    private final AtomicInteger maxNesting = new AtomicInteger();

    /** Records one call on the current thread, around {@code body}. */
    <T> T call(java.util.function.Supplier<T> body) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        if (++count.get()[0] % NESTING_SAMPLE == 0) {
            maxNesting.accumulateAndGet(nesting(), Math::max);
        }
        try {
            calls.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
            return body.get();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** How many fork/join tasks' compute() are on the current thread's stack, one inside the other. */
    private static int nesting() {
        return STACK.walk(frames -> (int) frames.filter(frame -> frame.getMethodName().equals("compute")
                && ForkJoinTask.class.isAssignableFrom(frame.getDeclaringClass())).count());
    }

    /**
     * The deepest that tasks' compute() were nested on one thread, in the calls looked at. A task split
     * into halves until its parts are leaves nests about log2(leaves) deep; a chain that peels one
     * part at a time, one level per part.
     */
    int maxNesting() {
        return maxNesting.get();
    }

    /**
     * The tasks must have nested no deeper than halving makes them for {@code leaves} leaves, with
     * room for a worker that, waiting in join(), runs a task of the same tree.
     */
    void assertHalved(String what, int leaves) {
        int height = 32 - Integer.numberOfLeadingZeros(leaves - 1); // ceil(log2(leaves))
        int bound = 5 * (height + 1);
        Measure.log("nesting: " + what, "tasks nested " + maxNesting() + " deep, at most " + bound + " allowed");
        assertThat(maxNesting()).as("how deep the tasks' compute() calls were nested on one thread in %s: %d. About"
                + " %d leaves of the threshold's size, halved again and again, nest about %d deep (at most %d here):"
                + " is each range split into two halves, at from + (to - from) / 2? A chain that peels one part off"
                + " the range at a time nests once per part", what, maxNesting(), leaves, height + 1, bound)
                .isPositive().isLessThanOrEqualTo(bound);
    }

    /** The most calls that were in progress at the same moment. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** The threads that made calls, with how many each. */
    Map<Thread, Long> callsByThread() {
        return calls.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
    }

    /** The threads that made calls and are not workers of {@code pool}. */
    List<Thread> outside(ForkJoinPool pool) {
        return calls.keySet().stream()
                .filter(t -> !(t instanceof ForkJoinWorkerThread worker && worker.getPool() == pool)).toList();
    }

    /** Who made the calls, for a failure message. */
    String describe() {
        return callsByThread().entrySet().stream()
                .map(e -> "'" + e.getKey().getName() + "' " + e.getValue())
                .collect(Collectors.joining(", ", "calls by thread: ", ""));
    }

    /**
     * The calls must all have come from workers of {@code pool}, two or more of them, and two at the
     * same moment at least once.
     *
     * @param calls what the calls were, e.g. "read lines"
     * @param oneThread the likely mistake when one thread made them all
     * @param tookTurns the likely mistake when the threads took turns
     */
    void assertRanInPool(ForkJoinPool pool, String calls, String oneThread, String tookTurns) {
        Measure.log(calls, describe() + "; at most " + maxInFlight() + " at once");
        assertThat(outside(pool)).as("threads that %s but are not workers of the pool they were called in (%s):"
                + " invoke() the task, so that it runs in the caller's pool, rather than commonPool().invoke(...), and"
                + " let its forks run there", calls, describe()).isEmpty();
        assertThat(callsByThread()).as("pool workers that %s (%s): one thread did all the work. %s", calls, describe(),
                oneThread).hasSizeGreaterThanOrEqualTo(2);
        assertThat(maxInFlight()).as("most calls in progress at the same moment, by different workers: 1 means the"
                + " halves took turns. %s (%s)", tookTurns, describe()).isGreaterThanOrEqualTo(2);
    }

    /** A fork/join body the test runs in its own pool. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code body} as a task of {@code pool}, at most {@code bound}, then shuts the pool down.
     */
    static <T> T inPool(ForkJoinPool pool, Duration bound, String what, Body<T> body) throws Exception {
        try {
            return run(pool, bound, what, body);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code body} as a task of {@code pool}, at most {@code bound}; what it throws is rethrown as it is. */
    static <T> T run(ForkJoinPool pool, Duration bound, String what, Body<T> body) throws Exception {
        try {
            return pool.submit(() -> body.run()).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof Exception e) {
                throw e;
            }
            throw (Error) cause;
        } catch (TimeoutException late) {
            KitExtension.requestFreshJvm("a fork/join task of the test's pool may still be running");
            throw new AssertionError(what + " was not done after " + bound.toSeconds() + " s in a fork/join pool of "
                    + WORKERS + " workers");
        }
    }
}
