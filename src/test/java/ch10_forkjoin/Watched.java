package ch10_forkjoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
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

    private final Map<Thread, LongAdder> calls = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** Records one call on the current thread, around {@code body}. */
    <T> T call(java.util.function.Supplier<T> body) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            calls.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
            return body.get();
        } finally {
            inFlight.decrementAndGet();
        }
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
     * What the body throws is rethrown as it is.
     */
    static <T> T inPool(ForkJoinPool pool, Duration bound, String what, Body<T> body) throws Exception {
        try {
            return pool.submit(() -> body.run()).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof Exception e) {
                throw e;
            }
            throw (Error) cause;
        } catch (TimeoutException late) {
            throw new AssertionError(what + " was not done after " + bound.toSeconds() + " s in a fork/join pool of "
                    + WORKERS + " workers");
        } finally {
            pool.shutdownNow();
        }
    }
}
