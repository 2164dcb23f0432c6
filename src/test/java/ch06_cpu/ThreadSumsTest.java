package ch06_cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import kit.Arguments;
import kit.CpuWatch;
import kit.Eventually;
import kit.Exercise;
import kit.NeedsCpus;
import kit.Timed;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(18)
class ThreadSumsTest {

    private static final String ORDER = "results must follow the numbers, not the order the threads finished in:"
            + " keep the futures in a list in the order of the numbers and read them in that order";

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("every sum equals the sequential one, in the order of the numbers, for 1 to 8 threads")
    void sumsEqualSequential() {
        SplittableRandom random = new SplittableRandom();
        List<Long> slowFirst = CpuChecks.slowFirst(random);
        CpuChecks.assertSums("compute(a large number then 6 small ones, 2 threads)", slowFirst,
                ThreadSums.compute(slowFirst, 2), ORDER);
        for (int threads : new int[] {1, 2, 3, 8}) {
            for (int count : new int[] {0, 1, 3, 20}) {
                List<Long> numbers = CpuChecks.randomNumbers(random, count, 2_000_000);
                CpuChecks.assertSums("compute(" + count + " random numbers, " + threads + " threads)", numbers,
                        ThreadSums.compute(numbers, threads), ORDER);
            }
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("12 numbers on 3 threads: each of the 3 computes a fair part, at the same time, and ends")
    void threeThreadsShareTheWork() throws Exception {
        List<Long> numbers = CpuChecks.equalNumbers(12);
        List<Long> expected = SumOfSquares.sequential(numbers);
        CpuWatch.Observed seen = CpuChecks.assertShared("12 equal numbers on 3 threads", 3, 3,
                CpuChecks.checked("compute(12 numbers, 3 threads)", () -> ThreadSums.compute(numbers, 3), expected),
                new CpuChecks.Hints(
                        "is the pool one thread? Make it newFixedThreadPool(threads), or start that many threads",
                        "the work must run on the given number of threads, not one per number",
                        "is the work split unevenly? Give each thread a fair part (or one task per number on the pool)",
                        "the threads took turns instead of running at the same time. Is each future's get() called"
                                + " inside the loop that submits (or each thread joined right after it starts)?"));
        List<Thread> computed = seen.computing(CpuChecks.PART).stream().map(CpuWatch.ThreadUse::thread).toList();
        Eventually.within(Duration.ofSeconds(2), "threads that computed are still alive after compute returned:"
                + " shut your pool down (or join your threads) before returning",
                () -> assertThat(computed).noneMatch(Thread::isAlive));
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("3 numbers on 4 threads: the numbers are shared out, not all given to one thread")
    void fewerNumbersThanThreads() throws Exception {
        List<Long> numbers = CpuChecks.equalNumbers(3);
        List<Long> expected = SumOfSquares.sequential(numbers);
        CpuChecks.assertShared("3 equal numbers on 4 threads", 3, 3,
                CpuChecks.checked("compute(3 numbers, 4 threads)", () -> ThreadSums.compute(numbers, 4), expected),
                new CpuChecks.Hints(
                        "the numbers were split unevenly: with fewer numbers than threads, a chunk of"
                                + " numbers.size() / threads numbers is 0 and the last thread gets them all."
                                + " Round the chunk up, or submit one task per number",
                        "a fourth thread computed although there are only 3 numbers: does every thread compute every"
                                + " number? Divide the numbers between the threads",
                        "the numbers were split unevenly: round the chunk size up, or submit one task per number",
                        "the threads took turns instead of running at the same time"));
    }

    @Test
    @Order(4)
    @Points(2)
    @NeedsCpus(2)
    @Timed
    @DisplayName("on two CPUs, 3 threads compute in parallel: more CPU time than wall time")
    void reallyParallel() throws Exception {
        List<Long> expected = SumOfSquares.sequential(CpuChecks.SOURCE_NUMBERS);
        CpuChecks.assertReallyParallel("compute(the sources' 20 numbers, 3 threads)",
                CpuChecks.checked("compute(20 numbers, 3 threads)",
                        () -> ThreadSums.compute(CpuChecks.SOURCE_NUMBERS, 3), expected),
                CpuChecks.twoThreads(CpuChecks.SOURCE_NUMBERS),
                "the threads took turns: are the threads started (or the tasks submitted) all before any is waited for?");
    }

    @Test
    @Order(5)
    @Points(2)
    @NeedsCpus(2)
    @Timed
    @DisplayName("on two CPUs, 2 threads are at least 1.6x faster than one after another")
    void fasterThanSequential() throws Exception {
        List<Long> expected = SumOfSquares.sequential(CpuChecks.SOURCE_NUMBERS);
        CpuChecks.assertFaster("compute(the sources' 20 numbers, 2 threads)",
                () -> SumOfSquares.sequential(CpuChecks.SOURCE_NUMBERS),
                CpuChecks.checked("compute(20 numbers, 2 threads)",
                        () -> ThreadSums.compute(CpuChecks.SOURCE_NUMBERS, 2), expected),
                CpuChecks.twoThreads(CpuChecks.SOURCE_NUMBERS),
                "about 1x although the threads computed at the same time means they did more work than needed:"
                        + " is the work divided between the threads, or does every thread compute every number?");
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("compute(null, 2)", NullPointerException.class, "numbers",
                () -> ThreadSums.compute(null, 2));
        Arguments.assertRefused("compute(a list holding null, 2)", NullPointerException.class, "numbers",
                () -> ThreadSums.compute(Arrays.asList(1L, null, 3L), 2));
        Arguments.assertRefused("compute(numbers, 0)", IllegalArgumentException.class, "threads",
                () -> ThreadSums.compute(List.of(1L, 2L), 0));
        Arguments.assertRefused("compute(numbers, -1)", IllegalArgumentException.class, "threads",
                () -> ThreadSums.compute(List.of(1L, 2L), -1));
    }
}
