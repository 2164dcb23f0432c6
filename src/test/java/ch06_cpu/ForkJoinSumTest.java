package ch06_cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import kit.Arguments;
import kit.CpuWatch;
import kit.Exercise;
import kit.KitExtension;
import kit.Measure;
import kit.NeedsCpus;
import kit.Timed;
import kit.Points;
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
    void sumEqualsSequential() {
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
    @Order(4)
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
    @Order(5)
    @Points(1)
    @DisplayName("a threshold below 1 is refused, naming the argument")
    void badThresholdIsRefused() {
        Arguments.assertRefused("of(100, 0)", IllegalArgumentException.class, "threshold", () -> ForkJoinSum.of(100, 0));
        Arguments.assertRefused("of(100, -3)", IllegalArgumentException.class, "threshold", () -> ForkJoinSum.of(100, -3));
        Arguments.assertRefused("new ForkJoinSum(0, 100, 0)", IllegalArgumentException.class, "threshold",
                () -> new ForkJoinSum(0, 100, 0));
    }
}
