package ch10_forkjoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import kit.Arguments;
import kit.Exercise;
import kit.KitExtension;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(29)
class ParallelFinderTest {

    private static final String[] WORDS = {"to", "be", "or", "not", "that", "is", "the", "question", "whether", "tis",
        "nobler", "in", "mind", "suffer", "slings", "arrows", "outrageous", "fortune", "take", "arms", "against", "sea"};

    /** A play of random lines of words (the source searched a play): new each run. */
    private static List<String> play(SplittableRandom random, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder("line " + i + ":");
            for (int w = random.nextInt(3, 9); w > 0; w--) {
                line.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code lines}, each get() of which {@code watched} records. */
    private static List<String> watchedLines(List<String> lines, Watched watched) {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return watched.call(() -> lines.get(index));
            }

            @Override
            public int size() {
                return lines.size();
            }
        };
    }

    private static List<String> expected(List<String> lines, String term) {
        return lines.stream().filter(line -> line.contains(term)).toList();
    }

    /** find, with a stack overflow turned into a message that says at which threshold and why. */
    private static List<String> find(List<String> lines, String term, int threshold) {
        try {
            return ParallelFinder.find(lines, term, threshold);
        } catch (StackOverflowError overflow) {
            KitExtension.requestFreshJvm("forked tasks may go on splitting in the common pool");
            throw new AssertionError("find(" + lines.size() + " lines, \"" + term + "\", threshold " + threshold
                    + ") overflowed the stack: tasks went on splitting ranges that were short enough. "
                    + (threshold == 1 ? "A range of one line must be searched directly: is it to - from <= threshold?"
                            : threshold == Integer.MAX_VALUE ? "Does from + threshold overflow an int? Compare to -"
                                    + " from with the threshold" : "Is the threshold comparison the right way round,"
                                    + " and is each range split into two halves, not one line peeled off at a time?"));
        }
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("the lines that contain the term, in the order of the lines")
    void matchesInOrder() {
        SplittableRandom random = new SplittableRandom();
        List<String> lines = play(random, 5_000);
        for (String term : new String[] {"question", "arms", " to "}) {
            List<String> found = find(lines, term, 100);
            List<String> expected = expected(lines, term);
            if (!found.equals(expected) && found.stream().sorted().toList().equals(expected.stream().sorted().toList())) {
                throw new AssertionError("find(5000 lines, \"" + term + "\", threshold 100) found the right lines in"
                        + " the wrong order: a task's matches are the left half's, then the right half's (join the"
                        + " left before adding the right's)");
            }
            assertThat(found).as("find(5000 lines, \"%s\", threshold 100)", term).isEqualTo(expected);
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("the same lines for thresholds 1, 2, 100 and Integer.MAX_VALUE, and for no line, one, none or all matching")
    void everyThreshold() {
        SplittableRandom random = new SplittableRandom();
        List<String> lines = play(random, 1_000);
        for (int threshold : new int[] {1, 2, 100, Integer.MAX_VALUE}) {
            for (String term : new String[] {"fortune", "line", "absent-" + random.nextInt()}) {
                List<String> found = find(lines, term, threshold);
                List<String> expected = expected(lines, term);
                if (found.isEmpty() && !expected.isEmpty() && threshold == Integer.MAX_VALUE) {
                    throw new AssertionError("find(1000 lines, \"" + term + "\", threshold Integer.MAX_VALUE) found"
                            + " nothing, though " + expected.size() + " lines match: does a computation with the"
                            + " threshold overflow an int (size + threshold - 1 does)? Compare to - from with the"
                            + " threshold, and never add to it");
                }
                assertThat(found).as("find(1000 lines, \"%s\", threshold %d)", term, threshold).isEqualTo(expected);
            }
            assertThat(find(List.of(), "to", threshold)).as("find(no lines, threshold %d)", threshold).isEmpty();
            assertThat(find(List.of("to be"), "be", threshold)).as("find(one matching line, threshold %d)", threshold)
                    .containsExactly("to be");
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("in a pool of 3 workers, the lines are searched by two or more of them at the same time")
    void searchedByThePoolsWorkers() throws Exception {
        SplittableRandom random = new SplittableRandom();
        List<String> lines = play(random, 200_000);
        Watched watched = new Watched();
        List<String> watchedLines = watchedLines(lines, watched);
        ForkJoinPool pool = new ForkJoinPool(Watched.WORKERS);
        List<String> found = Watched.inPool(pool, Duration.ofSeconds(10), "find(200,000 lines) in a pool",
                () -> find(watchedLines, "slings", 1_000));
        assertThat(found).as("find(200,000 lines, \"slings\", threshold 1000)").isEqualTo(expected(lines, "slings"));
        watched.assertRanInPool(pool, "read lines", "Were the lines copied before the search (the copy is all read"
                + " by one thread)? Or were the halves never forked (compute() on both)?", "Is the first half joined"
                + " before the second is searched? Fork the first, compute the second, then join");
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("200,000 lines at threshold 1000 are split in halves: the tasks nest about log2(200) deep, not one per part")
    void rangesAreHalved() throws Exception {
        List<String> lines = play(new SplittableRandom(), 200_000);
        Watched watched = new Watched();
        List<String> found = Watched.inPool(new ForkJoinPool(Watched.WORKERS), Duration.ofSeconds(10),
                "find(200,000 lines) in a pool", () -> find(watchedLines(lines, watched), "arrows", 1_000));
        assertThat(found).as("find(200,000 lines, \"arrows\", threshold 1000)").isEqualTo(expected(lines, "arrows"));
        watched.assertHalved("find(200,000 lines, threshold 1000)", 200);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("a range of at most threshold lines is searched directly, by one worker: thresholds 200,000 and Integer.MAX_VALUE")
    void rangeWithinThresholdIsNotSplit() throws Exception {
        List<String> lines = play(new SplittableRandom(), 200_000);
        for (int threshold : new int[] {lines.size(), Integer.MAX_VALUE}) {
            Watched watched = new Watched();
            List<String> found = Watched.inPool(new ForkJoinPool(Watched.WORKERS), Duration.ofSeconds(10),
                    "find(200,000 lines) in a pool", () -> find(watchedLines(lines, watched), "sea", threshold));
            assertThat(found).as("find(200,000 lines, \"sea\", threshold %d)", threshold).isEqualTo(expected(lines, "sea"));
            assertThat(watched.callsByThread()).as("threads of a pool of %d that read lines for find(200,000 lines,"
                    + " threshold %d) (%s): a range no longer than the threshold is searched directly, by the one"
                    + " thread that computes its task. Is the threshold the one given, or a number of your own?",
                    Watched.WORKERS, threshold, watched.describe()).hasSize(1);
        }
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("find(null, \"to\", 10)", NullPointerException.class, "lines",
                () -> ParallelFinder.find(null, "to", 10));
        Arguments.assertRefused("find(lines, null, 10)", NullPointerException.class, "term",
                () -> ParallelFinder.find(List.of("to be"), null, 10));
        Arguments.assertRefused("find(lines, \"to\", 0)", IllegalArgumentException.class, "threshold",
                () -> ParallelFinder.find(List.of("to be"), "to", 0));
    }
}
