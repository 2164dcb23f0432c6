package ch10_forkjoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import kit.Arguments;
import kit.CpuWatch;
import kit.Exercise;
import kit.KitExtension;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(30)
class ParallelMergeSortTest {

    /** An element with a key to sort by and its place in the input, to see what a sort did to equal keys. */
    record Item(int key, int place) {
    }

    private static final Comparator<Item> BY_KEY = Comparator.comparingInt(Item::key);
    /** How many objects, and ints, the tests that watch the workers sort. */
    private static final int OBJECTS = 50_000;
    private static final int INTS = 200_000;
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static int[] randomInts(SplittableRandom random, int length, int bound) {
        return random.ints(length, 0, bound).toArray();
    }

    /** Items with few distinct keys, so that many are equal. */
    private static Item[] items(SplittableRandom random, int length) {
        Item[] items = new Item[length];
        for (int i = 0; i < length; i++) {
            items[i] = new Item(random.nextInt(10), i);
        }
        return items;
    }

    /** The sort, with a stack overflow turned into a message that says at which threshold and why. */
    private static void sort(Runnable sort, int length, int threshold) {
        try {
            sort.run();
        } catch (StackOverflowError overflow) {
            KitExtension.requestFreshJvm("forked tasks may go on splitting in the common pool");
            throw new AssertionError("sorting " + length + " elements with threshold " + threshold + " overflowed the"
                    + " stack: tasks went on splitting ranges that were short enough. " + (threshold == 1
                            ? "A range of one element must be sorted directly: is it to - from <= threshold?"
                            : threshold == Integer.MAX_VALUE ? "Does from + threshold overflow an int? Compare to -"
                                    + " from with the threshold" : "Is the threshold comparison the right way round,"
                                    + " and is each range split into two halves, not one element peeled off at a time?"));
        }
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("int arrays come out sorted, for thresholds 1, 2, 100 and Integer.MAX_VALUE")
    void sortsInts() {
        SplittableRandom random = new SplittableRandom();
        for (int threshold : new int[] {1, 2, 100, Integer.MAX_VALUE}) {
            for (int length : new int[] {0, 1, 2, 3, 17, 1_000, 20_000}) {
                int[] a = randomInts(random, length, length / 2 + 1); // duplicates too
                int[] expected = a.clone();
                Arrays.sort(expected);
                sort(() -> ParallelMergeSort.sort(a, threshold), length, threshold);
                int[] sortedAgain = a.clone();
                Arrays.sort(sortedAgain);
                assertThat(sortedAgain).as("the ints of %d random ones after sorting them with threshold %d: elements"
                        + " were lost or duplicated. A merge writes exactly to - from elements, each once: check its"
                        + " bounds", length, threshold).isEqualTo(expected);
                assertThat(a).as("%d random ints after sorting them with threshold %d: out of order, or elements lost or duplicated."
                        + " A merge takes the smaller head of the two halves each time and writes exactly to - from"
                        + " elements, each once: check its bounds", length, threshold).isEqualTo(expected);
            }
            int[] descending = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
            sort(() -> ParallelMergeSort.sort(descending, threshold), 10, threshold);
            assertThat(descending).as("9 down to 0 sorted with threshold %d", threshold)
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("objects come out sorted, and equal ones keep their order (stable), for thresholds 1 to Integer.MAX_VALUE")
    void sortsObjectsStably() {
        SplittableRandom random = new SplittableRandom();
        for (int threshold : new int[] {1, 3, 100, Integer.MAX_VALUE}) {
            for (int length : new int[] {0, 1, 2, 5, 1_000, 20_000}) {
                Item[] items = items(random, length);
                Item[] expected = items.clone();
                Arrays.sort(expected, BY_KEY); // stable
                sort(() -> ParallelMergeSort.sort(items, BY_KEY, threshold), length, threshold);
                for (int i = 1; i < length; i++) {
                    Item before = items[i - 1];
                    Item after = items[i];
                    assertThat(before.key()).as("%d items sorted by key with threshold %d: key at %d", length,
                            threshold, i - 1).isLessThanOrEqualTo(after.key());
                    if (before.key() == after.key() && before.place() > after.place()) {
                        throw new AssertionError(length + " items sorted by key with threshold " + threshold + ": two"
                                + " items with key " + after.key() + " came out swapped (the one from place "
                                + before.place() + " before the one from place " + after.place() + "). The sort must"
                                + " be stable: when the keys are equal, the merge must take from the left half"
                                + " (compare(left, right) <= 0)");
                    }
                }
                assertThat(items).as("%d items sorted by key with threshold %d", length, threshold).isEqualTo(expected);
            }
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("in a pool of 3 workers, the halves are sorted by two or more of them at the same time")
    void sortedByThePoolsWorkers() throws Exception {
        Item[] items = items(new SplittableRandom(), 200_000);
        Item[] expected = items.clone();
        Arrays.sort(expected, BY_KEY);
        Watched watched = new Watched();
        Comparator<Item> watchedOrder = (x, y) -> watched.call(() -> BY_KEY.compare(x, y));
        ForkJoinPool pool = new ForkJoinPool(Watched.WORKERS);
        Watched.inPool(pool, Duration.ofSeconds(10), "sorting 200,000 items in a pool", () -> {
            sort(() -> ParallelMergeSort.sort(items, watchedOrder, 1_000), items.length, 1_000);
            return null;
        });
        assertThat(items).as("200,000 items sorted by key with threshold 1000").isEqualTo(expected);
        watched.assertRanInPool(pool, "compared items", "Were the halves never forked (compute() on both)? Use"
                + " invokeAll(left, right)", "Is the first half joined before the second is sorted? invokeAll(left,"
                + " right) runs them at the same time");
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("in a pool of 3 workers, int arrays too are sorted by two or more of them at the same time")
    void intsSortedByThePoolsWorkers() throws Exception {
        SplittableRandom random = new SplittableRandom();
        ForkJoinPool pool = new ForkJoinPool(Watched.WORKERS);
        try {
            String last = null;
            for (int round = 1; round <= 3; round++) { // a round on a machine too busy to run two workers at once may fail
                CpuWatch.Observed seen = observeIntSort(pool, random, INTS / 16);
                List<CpuWatch.ThreadUse> computing = computing(seen);
                assertThat(computing).as("threads that sorted %d ints with threshold %d in a pool of %d workers (%s):"
                        + " all must be workers of that pool. invoke() the task, so that it runs in the caller's pool",
                        INTS, INTS / 16, Watched.WORKERS, seen.describe()).allMatch(use -> use.pool() == pool);
                double overlap = seen.overlap(computing);
                if (computing.size() >= 2 && overlap >= Watched.AT_ONCE) {
                    return;
                }
                last = String.format("%d ints sorted with threshold %d in a pool of %d workers: %s (%s, round %d of"
                        + " 3). Are the ints handed to Arrays.sort (or sorted by one thread) instead of the fork/join"
                        + " merge sort? Sort them with the same tasks as the objects, boxed or not", INTS, INTS / 16,
                        Watched.WORKERS, computing.size() < 2 ? "one thread did all the work"
                                : String.format("the workers were RUNNABLE together in only %.0f%% of the samples they"
                                        + " could have been", 100 * overlap), seen.describe(), round);
            }
            throw new AssertionError(last);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("a range of at most threshold elements is sorted directly, by one worker: objects and ints, thresholds n and Integer.MAX_VALUE")
    void rangeWithinThresholdIsNotSplit() throws Exception {
        SplittableRandom random = new SplittableRandom();
        for (int threshold : new int[] {OBJECTS, Integer.MAX_VALUE}) {
            Item[] items = items(random, OBJECTS);
            Watched watched = new Watched();
            Comparator<Item> watchedOrder = (x, y) -> watched.call(() -> BY_KEY.compare(x, y));
            Watched.inPool(new ForkJoinPool(Watched.WORKERS), BOUND, "sorting " + OBJECTS + " items in a pool", () -> {
                sort(() -> ParallelMergeSort.sort(items, watchedOrder, threshold), items.length, threshold);
                return null;
            });
            assertThat(watched.callsByThread()).as("threads of a pool of %d that compared items to sort %d of them with"
                    + " threshold %d (%s): a range no longer than the threshold is sorted directly, by the one thread"
                    + " that computes its task. Is the threshold the one given, or a number of your own?",
                    Watched.WORKERS, OBJECTS, threshold, watched.describe()).hasSize(1);
        }
        ForkJoinPool pool = new ForkJoinPool(Watched.WORKERS);
        try {
            CpuWatch.Observed seen = observeIntSort(pool, random, INTS);
            assertThat(computing(seen)).as("threads that sorted %d ints with threshold %d in a pool of %d"
                    + " workers (%s): a range no longer than the threshold is sorted directly, by the one thread that"
                    + " computes its task. Is the threshold the one given, or a number of your own?", INTS, INTS,
                    Watched.WORKERS, seen.describe()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("50,000 items at threshold 250 are split in halves: the tasks nest about log2(200) deep, not one per part")
    void rangesAreHalved() throws Exception {
        Item[] items = items(new SplittableRandom(), OBJECTS);
        Item[] expected = items.clone();
        Arrays.sort(expected, BY_KEY);
        Watched watched = new Watched();
        Comparator<Item> watchedOrder = (x, y) -> watched.call(() -> BY_KEY.compare(x, y));
        Watched.inPool(new ForkJoinPool(Watched.WORKERS), BOUND, "sorting " + OBJECTS + " items in a pool", () -> {
            sort(() -> ParallelMergeSort.sort(items, watchedOrder, 250), items.length, 250);
            return null;
        });
        assertThat(items).as("%d items sorted by key with threshold 250", OBJECTS).isEqualTo(expected);
        watched.assertHalved("sorting " + OBJECTS + " items with threshold 250", OBJECTS / 250);
    }

    /** Sorts {@link #INTS} random ints in {@code pool}, watching the CPU time of every thread, and checks them. */
    private static CpuWatch.Observed observeIntSort(ForkJoinPool pool, SplittableRandom random, int threshold)
            throws Exception {
        int[] a = randomInts(random, INTS, Integer.MAX_VALUE);
        int[] expected = a.clone();
        Arrays.sort(expected);
        CpuWatch.Observed seen = CpuWatch.observe(() -> Watched.run(pool, BOUND, "sorting " + INTS + " ints in a pool",
                () -> {
                    sort(() -> ParallelMergeSort.sort(a, threshold), INTS, threshold);
                    return null;
                }));
        assertThat(a).as("%d random ints sorted with threshold %d", INTS, threshold).isEqualTo(expected);
        return seen;
    }

    /** The threads that took a real part in the work, the test's own, which only waits, left out. */
    private static List<CpuWatch.ThreadUse> computing(CpuWatch.Observed seen) {
        return seen.computing(Watched.PART).stream().filter(use -> use.thread() != Thread.currentThread()).toList();
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("sort((int[]) null, 10)", NullPointerException.class, "a",
                () -> ParallelMergeSort.sort((int[]) null, 10));
        Arguments.assertRefused("sort(ints, 0)", IllegalArgumentException.class, "threshold",
                () -> ParallelMergeSort.sort(new int[] {2, 1}, 0));
        Arguments.assertRefused("sort((Item[]) null, order, 10)", NullPointerException.class, "a",
                () -> ParallelMergeSort.sort((Item[]) null, BY_KEY, 10));
        Arguments.assertRefused("sort(items, null, 10)", NullPointerException.class, "order",
                () -> ParallelMergeSort.sort(new Item[] {new Item(1, 0)}, null, 10));
        Arguments.assertRefused("sort(items, order, 0)", IllegalArgumentException.class, "threshold",
                () -> ParallelMergeSort.sort(new Item[] {new Item(1, 0)}, BY_KEY, 0));
    }
}
