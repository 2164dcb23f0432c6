package ch05_async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(14)
class ChainsTest {

    /** The source's seed; its 0–10 s sleeps become 0–200 ms (plus the fixture's 30 ms floor). */
    private static final long SEED = 444;
    private static final Duration MAX_DELAY = Duration.ofMillis(200);

    private WatchedParts parts = new WatchedParts(SEED, MAX_DELAY);

    @AfterEach
    void closeParts() {
        parts.close();
    }

    /** Runs the chains; a mistake the fixture saw is reported before whatever it led to. */
    private List<String> runAll(int... ns) {
        List<String> results;
        parts.calledBy(Thread.currentThread());
        try {
            results = Chains.runAll(parts, ns);
        } catch (RuntimeException failure) {
            if (!parts.mistakes().isEmpty()) {
                fail(parts.mistakes().get(0), failure);
            }
            throw failure;
        }
        assertThat(parts.mistakes()).as(parts.mistakes().isEmpty() ? "" : parts.mistakes().get(0)).isEmpty();
        return results;
    }

    private static List<String> expected(int... ns) {
        return Arrays.stream(ns).mapToObj(n -> RandomParts.result2(n, RandomParts.result1(n))).toList();
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("one chain gives part2's result, derived from part1's")
    void oneChain() {
        assertThat(runAll(1)).containsExactly("result1-2 derived from result1-1");
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("results come in the order of ns, not in the order the chains finish")
    void resultsInTheOrderOfNs() {
        // Longest chain first: the chains finish in the opposite order.
        int[] ns = IntStream.rangeClosed(1, 5).boxed()
                .sorted(Comparator.comparing(parts::chain).reversed()).mapToInt(Integer::intValue).toArray();
        List<String> results = runAll(ns);
        assertThat(results).as("runAll(parts, %s): results must follow ns, whatever order the chains finish in",
                Arrays.toString(ns)).containsExactlyElementsOf(expected(ns));
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("part2 of a chain starts only after its part1 has completed, with part1's result")
    void part2WaitsForPart1() {
        assertThat(runAll(1, 2, 3)).containsExactlyElementsOf(expected(1, 2, 3));
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("all chains run at once: the total time is close to the longest chain, not the sum")
    void chainsRunAtOnce() {
        int[] ns = {1, 2, 3, 4, 5};
        long start = System.nanoTime();
        List<String> results = runAll(ns);
        double elapsed = (System.nanoTime() - start) / 1e6;
        assertThat(results).containsExactlyElementsOf(expected(ns));
        assertThat(parts.mostChainsRunning())
                .as("the most chains running at one moment: each chain was waited for before the next started."
                        + " Start every chain first, then join them")
                .isEqualTo(ns.length);
        List<Long> chains = parts.chainMillis(ns);
        double longest = chains.stream().mapToLong(Long::longValue).max().orElseThrow();
        double sum = chains.stream().mapToLong(Long::longValue).sum();
        // The limit is halfway between the two ratios (CALIBRATION.md, ch05).
        assertThat(elapsed / longest)
                .as("runAll took %.0f ms = %.2f x the longest chain (%.0f ms); one after another would be %.2f x."
                        + " Are the chains joined one after another?", elapsed, elapsed / longest, longest, sum / longest)
                .isLessThan((1 + sum / longest) / 2);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("each part2 starts as soon as its part1 completes, whatever the other chains are doing")
    void part2StartsAtOnce() {
        parts.close();
        // Chain 1's part1 is by far the slowest: nothing of chains 2 and 3 may wait for it.
        parts = WatchedParts.withDelays(Map.of(1, Duration.ofMillis(600), 2, Duration.ofMillis(30), 3,
                Duration.ofMillis(60)), Duration.ofMillis(30));
        List<String> results;
        try {
            results = runAll(1, 2, 3);
        } finally {
            Measure.log("ms from a part1 completing to its part2 starting, at most", parts.latestPart2Millis());
        }
        assertThat(results).containsExactlyElementsOf(expected(1, 2, 3));
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("a failing part fails runAll with that part's own exception as the cause")
    void failingPartFailsRunAll() {
        for (int part : new int[] {1, 2}) {
            parts.close();
            parts = new WatchedParts(SEED, MAX_DELAY).failOn(2, part);
            parts.calledBy(Thread.currentThread());
            Throwable thrown = Arguments.thrownBy(() -> Chains.runAll(parts, 1, 2, 3));
            String why = "what runAll threw when part" + part + "(2) failed: a CompletionException whose cause is the"
                    + " part's own exception, the same object (not an ExecutionException or another wrapper)";
            assertThat(thrown).as(why).isInstanceOf(CompletionException.class);
            assertThat(parts.thrown()).as("parts that failed").hasSize(1);
            assertThat(thrown.getCause()).as(why).isSameAs(parts.thrown().get(0));
        }
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("null parts or ns are refused, naming the argument")
    void nullsAreRefused() {
        Arguments.assertRefused("runAll(null, 1)", NullPointerException.class, "parts", () -> Chains.runAll(null, 1));
        Arguments.assertRefused("runAll(parts, null)", NullPointerException.class, "ns",
                () -> Chains.runAll(parts, (int[]) null));
    }
}
