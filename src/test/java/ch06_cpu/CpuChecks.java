package ch06_cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import kit.CpuWatch;
import kit.Measure;

/** The checks the chapter's three exercises share: right sums, shared work, real parallelism, speed. */
final class CpuChecks {

    /**
     * The sources' workload: 5,000,000 + x for x below 20. Java sums them in about 30 ms in a row here
     * (Python took 20 s): short rounds, which are likelier to find both CPUs free when another build
     * runs beside.
     */
    static final List<Long> SOURCE_NUMBERS = LongStream.range(0, 20).map(x -> 5_000_000 + x).boxed().toList();

    /** The numbers of the shared-work checks: four times the sources', for enough samples of who runs when. */
    static final long EQUAL_NUMBER = 20_000_000;

    // What two threads reach on two CPUs, beside another build too, and one thread never does (CALIBRATION.md, ch06).
    static final double PARALLEL = 0.1;
    static final double SPEEDUP = 1.6;
    // Threads computing at the same time are RUNNABLE together in most samples they could be; taking turns, in almost none.
    static final double AT_ONCE = 0.5;
    // A thread with less than this share of the CPU time did not take a real part in the work.
    static final double PART = 0.05;

    // How long to look for a moment when another build beside leaves both CPUs free.
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private CpuChecks() {
    }

    /** A computation of the exercise, returning what it computed. */
    @FunctionalInterface
    interface Sums {
        Object compute() throws Exception;
    }

    /**
     * {@code work} as something to time or observe, failing whenever it does not return
     * {@code expected}: a fast wrong answer earns nothing.
     */
    static Measure.Work checked(String call, Sums work, Object expected) {
        return () -> {
            Object result = work.compute();
            if (!expected.equals(result)) {
                throw new AssertionError(call + " returned " + result + ", expected " + expected);
            }
        };
    }

    /** Random numbers below {@code max}, distinct sizes, so that sums in another order are wrong sums. */
    static List<Long> randomNumbers(SplittableRandom random, int count, long max) {
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(random.nextLong(max));
        }
        return numbers;
    }

    /** A large number, then 6 small random ones: the large one's sum is ready last, whatever the threads. */
    static List<Long> slowFirst(SplittableRandom random) {
        List<Long> numbers = new ArrayList<>(List.of(30_000_000L));
        numbers.addAll(randomNumbers(random, 6, 100_000));
        return numbers;
    }

    /** The sums must be the sequential ones, number by number, in the order of the numbers. */
    static void assertSums(String call, List<Long> numbers, List<Long> sums, String orderHint) {
        List<Long> expected = SumOfSquares.sequential(numbers);
        assertThat(sums).as("what %s returned", call).isNotNull();
        assertThat(sums).as("how many sums %s returned for %d numbers", call, numbers.size()).hasSameSizeAs(expected);
        if (!sums.equals(expected) && sums.stream().sorted().toList().equals(expected.stream().sorted().toList())) {
            throw new AssertionError(call + " returned the right sums in the wrong order: " + orderHint
                    + "\n  expected: " + expected + "\n  returned: " + sums);
        }
        for (int i = 0; i < expected.size(); i++) {
            assertThat(sums.get(i)).as("%s: the sum for number %d (index %d)", call, numbers.get(i), i)
                    .isEqualTo(expected.get(i));
        }
    }

    /** What to say when the work was not shared as it should be, in the words of one exercise and case. */
    record Hints(String oneThread, String tooMany, String uneven, String tookTurns) {
    }

    /**
     * Observes {@code work} (after a warm-up run) up to 3 times and passes at the first round in which
     * {@code min} to {@code max} threads each computed a fair part of it, RUNNABLE at the same time in
     * most samples. All this shows on one CPU too: the threads then take turns on it, but the
     * program runs them at the same time. A round that fails says what it saw; the last one is
     * reported.
     */
    static CpuWatch.Observed assertShared(String what, int min, int max, Measure.Work work, Hints hints) throws Exception {
        work.run();
        AssertionError last = null;
        for (int round = 1; round <= 3; round++) {
            CpuWatch.Observed seen = CpuWatch.observe(work);
            String failure = shareFailure(what, seen, min, max, hints);
            Measure.log("shared: " + what, String.format("%s; together %.2f of the time, %.2f of what they could",
                    seen.describe(), seen.atTheSameTime(seen.computing(PART)), seen.overlap(seen.computing(PART))));
            if (failure == null) {
                return seen;
            }
            last = new AssertionError(failure + " (round " + round + " of 3)");
        }
        throw last;
    }

    private static String shareFailure(String what, CpuWatch.Observed seen, int min, int max, Hints hints) {
        List<CpuWatch.ThreadUse> computing = seen.computing(PART);
        double fair = 1.0 / Math.max(1, Math.min(max, computing.size()));
        double overlap = seen.overlap(computing);
        String observed = "observed " + seen.describe();
        if (computing.size() < 2 && min >= 2) {
            return what + ": only one thread computed: " + hints.oneThread() + " (" + observed + ")";
        }
        if (computing.size() < min) {
            return String.format("%s: %d threads computed, %d expected: %s (%s)", what, computing.size(), min,
                    hints.oneThread(), observed);
        }
        if (computing.size() > max) {
            return String.format("%s: %d threads computed, at most %d expected: %s (%s)", what, computing.size(), max,
                    hints.tooMany(), observed);
        }
        if (overlap < AT_ONCE) {
            return String.format("%s: the threads were RUNNABLE together in only %.0f%% of the samples they could"
                    + " have been: %s (%s)", what, 100 * overlap, hints.tookTurns(), observed);
        }
        if (seen.largestShare() > fair + (1 - fair) / 2) {
            return String.format("%s: one thread did %.0f%% of the work, where a fair part is %.0f%%: %s (%s)", what,
                    100 * seen.largestShare(), 100 * fair, hints.uneven(), observed);
        }
        return null;
    }

    /**
     * On two CPUs, {@code work} must spend CPU time in parallel: in the best of its rounds over
     * {@link #PATIENCE} after a warm-up, at least {@link #PARALLEL} of its wall time (two threads
     * computing on two idle CPUs reach nearly all of it; one thread at a time, none). The kit's own
     * {@code reference}, the same work on two threads, runs in the same rounds: where even it did not
     * reach {@link #PARALLEL}, the machine was too busy to tell ({@link Measure#judge}).
     */
    static void assertReallyParallel(String what, Measure.Work work, Measure.Work reference, String hint) throws Exception {
        CpuWatch.MostParallel rounds = CpuWatch.mostParallel(PATIENCE, PARALLEL, work, reference);
        CpuWatch.Observed best = rounds.candidate();
        CpuWatch.Observed possible = rounds.reference();
        Measure.log("parallel: " + what, String.format("%.2f of the wall time, %.2f CPUs busy (%s); the kit's own: %.2f,"
                + " enough in %d rounds", best.parallelShare(), best.busyCpus(), best.describe(), possible.parallelShare(),
                rounds.reached()));
        Measure.judge(best.parallelShare(), possible.parallelShare(), rounds.reached(), PARALLEL, Measure.NO_SHARE,
                () -> String.format("CPU time that %s"
                + " spent on two CPUs at once, best round of %d s: %d ms in %d ms, %.0f%% of the time (%s), where the"
                + " kit's own two threads reached %.0f%% in the same rounds. Two threads computing at once on two CPUs"
                + " do so most of the time; none means one thread computed at a time: %s", what, PATIENCE.toSeconds(),
                best.parallelNanos() / 1_000_000, best.wall().toMillis(), 100 * best.parallelShare(), best.describe(),
                100 * possible.parallelShare(), hint), String.format("CPU time on two CPUs at once, in %%: %s %.0f,"
                + " the kit's own two threads %.0f", what, 100 * best.parallelShare(), 100 * possible.parallelShare()));
    }

    /**
     * On two CPUs, {@code candidate} must be at least {@link #SPEEDUP} times faster than {@code baseline},
     * their best rounds compared, taking turns for up to {@link #PATIENCE}. A {@code reference}, the
     * same work split between two threads by the kit, runs in the same rounds: where other programs
     * kept the CPUs too busy for even the reference to reach {@link #SPEEDUP}, the machine was too busy
     * to tell ({@link Measure#judge}).
     */
    static void assertFaster(String what, Measure.Work baseline, Measure.Work candidate, Measure.Work reference,
            String hint) throws Exception {
        Measure.AgainstReference speedup = Measure.speedup(baseline, candidate, reference, PATIENCE, SPEEDUP);
        Measure.log("speedup: " + what, speedup);
        Measure.judge(speedup.candidate().ratio(), speedup.reference().ratio(), speedup.reached(), SPEEDUP,
                Measure.NO_SPEEDUP,
                () -> String.format(
                "speedup of %s over the sequential version: %s. The kit's own two threads were %.1fx faster in the"
                        + " same rounds: two CPUs were free, and the candidate must reach %.1fx: %s", what, speedup,
                speedup.reference().ratio(), SPEEDUP, hint), "speedup of " + what + ": " + speedup);
    }

    /** The same work as {@code sums} of {@code numbers}, split by the kit between two threads of its own. */
    static Measure.Work twoThreads(List<Long> numbers) {
        return twoThreads(() -> SumOfSquares.sequential(numbers.subList(0, numbers.size() / 2)),
                () -> SumOfSquares.sequential(numbers.subList(numbers.size() / 2, numbers.size())));
    }

    /** Runs {@code first} and {@code second} on two threads of the kit, at the same time, and waits for both. */
    static Measure.Work twoThreads(Runnable first, Runnable second) {
        return () -> Measure.inParallel(first::run, second::run);
    }

    /** {@code count} numbers of the size of the sources' numbers. */
    static List<Long> equalNumbers(int count) {
        return LongStream.range(0, count).map(x -> EQUAL_NUMBER + x).boxed().toList();
    }
}
