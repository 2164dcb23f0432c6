package ch06_cpu;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import kit.Arguments;
import kit.Exercise;
import kit.NeedsCpus;
import kit.Timed;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(18)
class StreamSumsTest {

    private static final String ORDER = "a parallel forEach adds each sum when it is ready; collect the stream"
            + " (toList()) so that the sums keep the encounter order";

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("every sum equals the sequential one, in the order of the numbers")
    void sumsEqualSequential() {
        SplittableRandom random = new SplittableRandom();
        List<Long> slowFirst = CpuChecks.slowFirst(random);
        CpuChecks.assertSums("compute(a large number then 6 small ones)", slowFirst, StreamSums.compute(slowFirst), ORDER);
        for (int count : new int[] {0, 1, 2, 7, 40}) {
            List<Long> numbers = CpuChecks.randomNumbers(random, count, 2_000_000);
            CpuChecks.assertSums("compute(" + count + " random numbers)", numbers, StreamSums.compute(numbers), ORDER);
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("the numbers are computed by two threads or more, at the same time")
    void severalThreadsShareTheWork() throws Exception {
        List<Long> numbers = CpuChecks.equalNumbers(12);
        List<Long> expected = SumOfSquares.sequential(numbers);
        CpuChecks.assertShared("12 equal numbers through the stream", 2, Integer.MAX_VALUE,
                CpuChecks.checked("compute(12 numbers)", () -> StreamSums.compute(numbers), expected),
                new CpuChecks.Hints(
                        "a stream runs on the caller's thread alone unless it is made parallel(): call"
                                + " parallelStream() or .parallel()",
                        "",
                        "the parallel stream should share the numbers between its threads",
                        "the stream's threads took turns instead of running at the same time"));
    }

    @Test
    @Order(3)
    @Points(2)
    @NeedsCpus(2)
    @Timed
    @DisplayName("on two CPUs, the parallel stream computes in parallel: more CPU time than wall time")
    void reallyParallel() throws Exception {
        List<Long> expected = SumOfSquares.sequential(CpuChecks.SOURCE_NUMBERS);
        CpuChecks.assertReallyParallel("compute(the sources' 20 numbers)",
                CpuChecks.checked("compute(20 numbers)", () -> StreamSums.compute(CpuChecks.SOURCE_NUMBERS), expected),
                CpuChecks.twoThreads(CpuChecks.SOURCE_NUMBERS),
                "is the stream parallel()?");
    }

    @Test
    @Order(4)
    @Points(2)
    @NeedsCpus(2)
    @Timed
    @DisplayName("on two CPUs, the parallel stream is at least 1.6x faster than one after another")
    void fasterThanSequential() throws Exception {
        List<Long> expected = SumOfSquares.sequential(CpuChecks.SOURCE_NUMBERS);
        CpuChecks.assertFaster("compute(the sources' 20 numbers)",
                () -> SumOfSquares.sequential(CpuChecks.SOURCE_NUMBERS),
                CpuChecks.checked("compute(20 numbers)", () -> StreamSums.compute(CpuChecks.SOURCE_NUMBERS), expected),
                CpuChecks.twoThreads(CpuChecks.SOURCE_NUMBERS),
                "about 1x although two threads computed means more work than needed: is every number computed once?");
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("null is refused, naming the argument")
    void nullIsRefused() {
        Arguments.assertRefused("compute(null)", NullPointerException.class, "numbers", () -> StreamSums.compute(null));
        Arguments.assertRefused("compute(a list holding null)", NullPointerException.class, "numbers",
                () -> StreamSums.compute(Arrays.asList(1L, null, 3L)));
    }
}
