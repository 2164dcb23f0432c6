package ch06_cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kit.Arguments;
import kit.CpuWatch;
import kit.Exercise;
import kit.KitExtension;
import kit.Measure;
import kit.NeedsCpus;
import kit.Timed;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(18)
class ForkJoinSumTest {

    /** A range that takes about 100 ms in a row, split into 16 parts. */
    private static final long N = 400_000_000;
    private static final long THRESHOLD = N / 16;
    /** A short range for timing (about 25 ms in a row): short rounds are likelier to find both CPUs free. */
    private static final long TIMED_N = 100_000_000;
    private static final long TIMED_THRESHOLD = TIMED_N / 16;
    /** The kit's own parallel version of the timed range: its two halves on two threads. */
    private static final Measure.Work TIMED_REFERENCE = CpuChecks.twoThreads(() -> SumOfSquares.range(0, TIMED_N / 2),
            () -> SumOfSquares.range(TIMED_N / 2, TIMED_N));

    /** ForkJoinSum.of(n, threshold), with a message that names a stack overflow instead of dumping it. */
    private static long of(long n, long threshold) {
        try {
            return ForkJoinSum.of(n, threshold);
        } catch (StackOverflowError overflow) {
            KitExtension.requestFreshJvm("forked tasks may go on splitting in the common pool");
            throw new AssertionError("of(" + n + ", threshold " + threshold + ") overflowed the stack: tasks went on"
                    + " splitting ranges that were already short enough. Is the threshold comparison the right way"
                    + " round (a range of at most threshold numbers is summed directly)?");
        }
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("the sum equals the sequential one, for thresholds from 1 to Long.MAX_VALUE")
    void sumEqualsSequential() throws Exception {
        SplittableRandom random = new SplittableRandom();
        for (long n : new long[] {0, 1, 2, 3, 1000, random.nextLong(2, 5_000)}) {
            for (long threshold : new long[] {1, 2, 7, Math.max(1, n), n + 1, Long.MAX_VALUE}) {
                assertThat(of(n, threshold)).as("of(%d, threshold %d)", n, threshold).isEqualTo(SumOfSquares.of(n));
            }
        }
        long large = random.nextLong(5_000_000, 20_000_000);
        for (long threshold : new long[] {1000, large / 3, large, Long.MAX_VALUE}) {
            assertThat(of(large, threshold)).as("of(%d, threshold %d)", large, threshold).isEqualTo(SumOfSquares.of(large));
        }
        assertThat(of(-5, 10)).as("of(-5, 10): the sum of nothing").isZero();
        long from = random.nextLong(1, 1_000_000);
        long to = from + random.nextLong(1, 1_000_000);
        assertThat(new ForkJoinSum(from, to, 1000).invoke()).as("new ForkJoinSum(%d, %d, 1000).invoke(): the squares"
                + " from %d below %d, not from 0", from, to, from, to).isEqualTo(SumOfSquares.range(from, to));
        for (long start : new long[] {Long.MAX_VALUE - 1000, Long.MIN_VALUE}) {
            assertThat(farRange(start, start + 1000, 10)).as("new ForkJoinSum(%d, %d, 10).invoke()", start, start + 1000)
                    .isEqualTo(SumOfSquares.range(start, start + 1000));
        }
    }

    /**
     * A task over a range at an end of long, bounded: a midpoint (from + to) / 2 overflows there, and
     * makes a leaf of some 2^63 numbers that would never end.
     */
    private static long farRange(long from, long to, long threshold) throws Exception {
        return Threads.callWithin(Duration.ofSeconds(5), () -> new ForkJoinSum(from, to, threshold).invoke())
                .orElseThrow(() -> new AssertionError("new ForkJoinSum(" + from + ", " + to + ", " + threshold
                        + ").invoke(), 1000 numbers, was not done after 5 s: does the midpoint overflow? (from + to) / 2"
                        + " overflows a long when both are large, and the halves it makes are not halves: take"
                        + " from + (to - from) / 2"));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("in a pool of 2 workers, both compute a fair part of the range, at the same time")
    void bothWorkersShareTheRange() throws Exception {
        long expected = SumOfSquares.of(N);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            CpuWatch.Observed seen = CpuChecks.assertShared("new ForkJoinSum(0, " + N + ", " + THRESHOLD
                            + ") invoked in a pool of 2 workers", 2, 2,
                    CpuChecks.checked("the task's sum", () -> pool.invoke(new ForkJoinSum(0, N, THRESHOLD)), expected),
                    new CpuChecks.Hints(
                            "the range was never split, its halves were never forked, or the first half was joined"
                                    + " before the second half was computed: fork() one half (a worker that is free"
                                    + " steals it), compute() the other, and only then join the first, for every range"
                                    + " longer than the threshold, which is the constructor's argument",
                            "the halves must run on the pool's workers: fork() them, do not start threads of your own",
                            "the range was split unevenly: halve it at from + (to - from) / 2",
                            "the halves took turns: the first half was joined before the second half was computed."
                                    + " Fork the first, compute the second, and only then join the first"));
            assertThat(seen.computing(CpuChecks.PART)).as("threads that computed the task's sum, which must be the"
                    + " workers of the pool it was invoked in: fork() runs a half in the current pool")
                    .allMatch(use -> use.pool() == pool);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("of(n, threshold) called in a pool of 2 workers is computed by that pool's workers, not another pool")
    void ofRunsInTheCallersPool() throws Exception {
        long expected = SumOfSquares.of(N);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Measure.Work work = CpuChecks.checked("of(" + N + ", " + THRESHOLD + ") in a pool of 2 workers",
                    () -> inPool(pool, () -> ForkJoinSum.of(N, THRESHOLD)), expected);
            work.run(); // warm-up: the JIT compiles the sums before the threads are watched
            CpuWatch.Observed seen = CpuWatch.observe(work);
            Measure.log("of in a pool", seen.describe());
            // The test's own thread only waits for the pool's task.
            List<CpuWatch.ThreadUse> computing = seen.computing(CpuChecks.PART).stream()
                    .filter(use -> use.thread() != Thread.currentThread()).toList();
            assertThat(computing).as("threads that computed of(%d, %d) called in a pool of 2"
                    + " workers (%s), which must all be workers of that pool: of() invoke()s its task, which runs in"
                    + " the caller's pool; a pool made per call (new ForkJoinPool()), or the common pool named"
                    + " (ForkJoinPool.commonPool().invoke(...)), takes the work away from the pool the caller chose",
                    N, THRESHOLD, seen.describe()).isNotEmpty().allMatch(use -> use.pool() == pool);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("a range of at most threshold numbers is summed directly, by one thread, however long it is")
    void rangeWithinThresholdIsNotSplit() throws Exception {
        long expected = SumOfSquares.of(N);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            for (long threshold : new long[] {N, Long.MAX_VALUE}) {
                assertSummedByOneWorker(pool, "new ForkJoinSum(0, " + N + ", " + threshold + ")",
                        () -> inPool(pool, () -> new ForkJoinSum(0, N, threshold).invoke()), expected);
            }
            assertSummedByOneWorker(pool, "of(" + N + ", " + N + ")", () -> inPool(pool, () -> ForkJoinSum.of(N, N)),
                    expected);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSummedByOneWorker(ForkJoinPool pool, String call, CpuChecks.Sums sum, long expected)
            throws Exception {
        // No warm-up: only the pool's workers are counted, and the JIT's threads are none of them.
        CpuWatch.Observed seen = CpuWatch.observe(CpuChecks.checked(call, sum, expected));
        Measure.log("not split: " + call, seen.describe());
        assertThat(seen.computing(CpuChecks.PART).stream().filter(use -> use.pool() == pool).count())
                .as("workers of a pool of 2 that computed %s (%s): a range no longer than the threshold must be"
                        + " summed directly, by the one thread that computes the task. Is the threshold the one"
                        + " given, to the constructor and to of(), or a number of your own?", call, seen.describe())
                .isEqualTo(1);
    }

    /** {@code sum} as a task of {@code pool}, waited for at most 10 s. */
    private static long inPool(ForkJoinPool pool, Callable<Long> sum) throws Exception {
        try {
            return pool.submit(sum).get(10, TimeUnit.SECONDS);
        } catch (TimeoutException late) {
            throw new AssertionError("a sum in a pool of 2 workers was not done after 10 s");
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception e) {
                throw e;
            }
            throw new AssertionError(failed.getCause());
        }
    }

    @Test
    @Order(5)
    @Points(2)
    @NeedsCpus(2)
    @Timed
    @DisplayName("on two CPUs, of(n, threshold) computes in parallel: more CPU time than wall time")
    void reallyParallel() throws Exception {
        long expected = SumOfSquares.of(TIMED_N);
        CpuChecks.assertReallyParallel("of(" + TIMED_N + ", " + TIMED_THRESHOLD + ")",
                CpuChecks.checked("of(" + TIMED_N + ", " + TIMED_THRESHOLD + ")", () -> ForkJoinSum.of(TIMED_N, TIMED_THRESHOLD), expected),
                TIMED_REFERENCE,
                "is one half forked while the other is computed?");
    }

    @Test
    @Order(6)
    @Points(2)
    @NeedsCpus(2)
    @Timed
    @DisplayName("on two CPUs, of(n, threshold) is at least 1.6x faster than SumOfSquares.of(n)")
    void fasterThanSequential() throws Exception {
        long expected = SumOfSquares.of(TIMED_N);
        CpuChecks.assertFaster("of(" + TIMED_N + ", " + TIMED_THRESHOLD + ")", () -> SumOfSquares.of(TIMED_N),
                CpuChecks.checked("of(" + TIMED_N + ", " + TIMED_THRESHOLD + ")", () -> ForkJoinSum.of(TIMED_N, TIMED_THRESHOLD), expected),
                TIMED_REFERENCE,
                "about 1x although two threads computed means more work than needed: is each number summed once?");
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("a threshold below 1 is refused, naming the argument")
    void badThresholdIsRefused() {
        Arguments.assertRefused("of(100, 0)", IllegalArgumentException.class, "threshold", () -> ForkJoinSum.of(100, 0));
        Arguments.assertRefused("of(100, -3)", IllegalArgumentException.class, "threshold", () -> ForkJoinSum.of(100, -3));
        Arguments.assertRefused("new ForkJoinSum(0, 100, 0)", IllegalArgumentException.class, "threshold",
                () -> new ForkJoinSum(0, 100, 0));
    }
}
