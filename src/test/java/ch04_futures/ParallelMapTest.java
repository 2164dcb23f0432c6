package ch04_futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(12)
class ParallelMapTest {

    /** How long a test waits for threads to stop: they are interrupted and should stop at once. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** How long an item that waits for other items gives up after: far more than they need. */
    private static final Duration PATIENCE = Duration.ofSeconds(2);

    private static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Waits at most {@code bound} for {@code latch}, so a wrong solution cannot hang the test; whether it opened. */
    private static boolean await(CountDownLatch latch, Duration bound) {
        try {
            return latch.await(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code map}, failing with {@code why} if it throws anything but a stub's TODO. */
    private static <T, R> List<R> mapOrFail(String why, List<T> items, Function<T, R> fn, int workers) {
        Throwable[] thrown = new Throwable[1];
        List<R> results = new ArrayList<>();
        thrown[0] = Arguments.thrownBy(() -> results.addAll(ParallelMap.map(items, fn, workers)));
        if (thrown[0] != null) {
            fail("map threw " + thrown[0] + ": " + why, thrown[0]);
        }
        return results;
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("every item's result, in the order of the items")
    void mapsEveryItem() {
        List<Integer> squares = ParallelMap.map(items(100), i -> i * i, 4);
        assertThat(squares).as("results of map(0..99, i -> i * i, 4 workers), which must be in item order: is each"
                + " result written at its item's index?")
                .containsExactlyElementsOf(items(100).stream().map(i -> i * i).toList());
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("exactly as many items run at once as there are workers (1 and 3)")
    void workersRunAtOnce() {
        for (int workers : new int[] {1, 3}) {
            AtOnce atOnce = new AtOnce(workers);
            ParallelMap.map(items(2 * workers), atOnce::run, workers);
            Measure.log("items at once with " + workers + " workers", atOnce.most());
            assertThat(atOnce.most()).as("items of fn running at once with %s: is the pool sized by workers (not by"
                    + " the number of items or CPUs)?", workers == 1 ? "1 worker" : workers + " workers").isEqualTo(workers);
        }
    }

    /** fn that counts the items running at once; each holds its thread until {@code workers} run, then a while. */
    private static final class AtOnce {
        /** Long enough for a thread beyond the workers to show up, short enough to keep the test quick. */
        private static final long HOLD_MILLIS = 100;
        private final int workers;
        private int running; // guarded by this
        private int most; // guarded by this

        AtOnce(int workers) {
            this.workers = workers;
        }

        synchronized Integer run(Integer item) {
            running++;
            most = Math.max(most, running);
            notifyAll();
            try {
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (running < workers && System.nanoTime() < deadline) {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
                long holdUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
                while (running <= workers && System.nanoTime() < holdUntil) {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdUntil - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running--;
                notifyAll();
            }
            return item;
        }

        synchronized int most() {
            return most;
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("map(items, fn, workers) gives each item its own task")
    void oneItemPerTask() {
        CountDownLatch item1Done = new CountDownLatch(1);
        CountDownLatch item0Done = new CountDownLatch(1);
        boolean[] item1First = new boolean[1];
        List<Integer> results = ParallelMap.map(items(4), i -> {
            if (i == 0) {
                item1First[0] = await(item1Done, PATIENCE); // item 1 must not need item 0's thread
                item0Done.countDown();
            } else if (i == 1) {
                item1Done.countDown();
            }
            return i;
        }, 2);
        assertThat(results).as("results of 4 items, item 1 done before item 0: results in item order, whatever order"
                + " they finished in (write each at its item's index)").containsExactly(0, 1, 2, 3);
        assertThat(item1First[0]).as("whether item 1 ran while item 0 was waiting for it, with 2 workers:"
                + " map(items, fn, workers) is chunkSize 1, one item per task, so a free worker takes item 1")
                .isTrue();
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("results keep the order of the items though the items finish in reverse")
    void keepsInputOrder() {
        int n = 4;
        List<CountDownLatch> finished = IntStream.rangeClosed(0, n).mapToObj(i -> new CountDownLatch(1)).toList();
        finished.get(n).countDown();
        // Item i finishes a while after item i + 1: the last item first, the first item last.
        Function<Integer, String> fn = i -> {
            await(finished.get(i + 1), Stalls.BOUND);
            try {
                Thread.sleep(60); // the item's own work, so that completion order is unmistakable
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.get(i).countDown();
            return "item " + i;
        };
        assertThat(ParallelMap.map(items(n), fn, n))
                .as("results of 4 items that finished last to first: results must be in item order, not in the"
                        + " order the tasks finished (write each result at its item's index)")
                .containsExactly("item 0", "item 1", "item 2", "item 3");
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("null items reach fn, and null results are kept in their place")
    void nullsAreKept() {
        List<Integer> withNulls = Arrays.asList(0, null, 2, null, 4);
        List<String> named = mapOrFail("items may be null (List.copyOf and List.of refuse null; copy with new"
                + " ArrayList<>(items))", withNulls, i -> i == null ? "none" : "item " + i, 2);
        assertThat(named).as("map of [0, null, 2, null, 4] naming each item").containsExactly("item 0", "none", "item 2",
                "none", "item 4");
        List<String> nullResults = mapOrFail("fn may return null, which is a result like any other: keep it in the"
                + " list (List.copyOf, List.of and ConcurrentHashMap refuse null)", items(5),
                i -> i % 2 == 0 ? null : "item " + i, 2);
        assertThat(nullResults).as("map of 0..4 where fn returns null for even items: null results kept in their"
                + " place").containsExactly(null, "item 1", null, "item 3", null);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("after a failure the other tasks are cancelled: running ones interrupted, waiting ones never started")
    void failureCancelsTheRest() {
        Stalls stalls = new Stalls();
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> ParallelMap.map(items(8), i -> {
            if (i == 1) {
                throw new IllegalStateException("bad item");
            }
            return stalls.stall();
        }, 2));
        assertThat(Arguments.unlessTodo(thrown)).as("what map threw when fn threw on item 1: an ItemFailedException"
                + " naming the item").isInstanceOf(ItemFailedException.class);
        assertReportedAtOnce(start); // a late report gives the queued items time to start: that is the mistake then
        Eventually.within(GRACE, "items still running after map reported a failure: cancel the other tasks with"
                + " cancel(true) (or shutdownNow), so that they are interrupted",
                () -> assertThat(stalls.running()).isZero());
        assertThat(stalls.started()).as("items started out of 8 (7 of them never end by themselves): the queued"
                + " tasks were not cancelled").isLessThanOrEqualTo(3);
    }

    @Test
    @Order(7)
    @Points(2)
    @DisplayName("a failing item: its exception with its index, at once, without waiting for slow items before it")
    void failureComesAtOnceWithItsIndex() {
        Stalls stalls = new Stalls();
        IllegalStateException bad = new IllegalStateException("bad item");
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> ParallelMap.map(items(6), i -> {
            if (i == 1) {
                throw bad;
            }
            return stalls.stall();
        }, 2));
        assertThat(Arguments.unlessTodo(thrown)).as("what map threw when fn threw on item 1: an ItemFailedException"
                + " naming the item, not fn's exception bare or wrapped in an ExecutionException")
                .isInstanceOf(ItemFailedException.class);
        ItemFailedException failure = (ItemFailedException) thrown;
        assertThat(failure.index()).as("the failing item's index").isEqualTo(1);
        assertThat(failure.getCause()).as("the cause: what fn threw, the same object, not a wrapper").isSameAs(bad);
        assertReportedAtOnce(start);
    }

    /** Fails unless map, called at {@code start}, reported item 1's failure long before item 0 could end. */
    private static void assertReportedAtOnce(long start) {
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time map took to report item 1's failure while"
                + " item 0 never ends: are the futures awaited in item order? Take them as they finish (a"
                + " CompletionService)").isLessThan(Stalls.BOUND.dividedBy(2));
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("an Error thrown by fn is a failure of its item too")
    void errorIsAFailure() {
        AssertionError bad = new AssertionError("fn's own check failed");
        Throwable thrown = catchThrowable(() -> ParallelMap.map(items(4), i -> {
            if (i == 2) {
                throw bad;
            }
            return i;
        }, 2));
        String why = "what map threw when fn threw an AssertionError on item 2: an Error thrown by fn is its item's"
                + " failure too (catching Exception or RuntimeException misses it): an ItemFailedException with the"
                + " Error itself as the cause";
        assertThat(Arguments.unlessTodo(thrown)).as(why).isInstanceOf(ItemFailedException.class);
        assertThat(((ItemFailedException) thrown).index()).as(why).isEqualTo(2);
        assertThat(thrown.getCause()).as(why).isSameAs(bad);
    }

    @Test
    @Order(9)
    @Points(1)
    @DisplayName("no pool thread is left when map returns, after success or failure")
    void poolIsShutDown() {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        ParallelMap.map(items(20), i -> workers.add(Thread.currentThread()), 3);
        Throwable thrown = catchThrowable(() -> ParallelMap.map(items(20), i -> {
            workers.add(Thread.currentThread());
            throw new IllegalStateException("bad item");
        }, 3));
        assertThat(thrown).as("what map threw when fn threw on every item").isInstanceOf(ItemFailedException.class);
        Eventually.within(GRACE, "pool threads still alive after map returned: shut down your pool in a finally,"
                + " whatever kind of threads it has", () -> assertThat(workers).noneMatch(Thread::isAlive));
    }

    @Test
    @Order(10)
    @Points(2)
    @DisplayName("with chunks (of 1, 3, 4, and more than there are items), each task runs its chunk's consecutive items in order on one thread, each item once")
    void chunksRunAsOneTask() {
        // Sizes that divide the items and sizes that do not; a chunk of 1; one chunk bigger than the list.
        assertChunks(10, 4);
        assertChunks(7, 3);
        assertChunks(8, 4);
        assertChunks(5, 1);
        assertChunks(3, 5);
    }

    /** Maps {@code n} items in chunks of {@code chunk}, on as many workers as there are chunks. */
    private static void assertChunks(int n, int chunk) {
        List<Integer> heads = IntStream.iterate(0, i -> i < n, i -> i + chunk).boxed().toList();
        CountDownLatch headsStarted = new CountDownLatch(heads.size());
        Map<Thread, List<Integer>> byThread = new ConcurrentHashMap<>();
        Map<Integer, Integer> runs = new ConcurrentHashMap<>();
        String starts = "a chunk's start index is its number times chunkSize (0, " + chunk + ", " + 2 * chunk
                + ", ...), and only the last chunk may be shorter";
        List<String> results = new ArrayList<>();
        Throwable thrown = Arguments.thrownBy(() -> results.addAll(ParallelMap.map(items(n), i -> {
            runs.merge(i, 1, Integer::sum);
            byThread.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>()).add(i);
            if (heads.contains(i)) {
                // Each chunk's first item holds its thread until every chunk has begun: one task per
                // item would have to run this chunk's next items on another thread meanwhile.
                headsStarted.countDown();
                await(headsStarted, PATIENCE);
            }
            return "item " + i;
        }, heads.size(), chunk)));
        if (thrown != null) {
            fail("map(%d items, fn, %d workers, chunkSize %d) threw %s: %s", n, heads.size(), chunk, thrown, starts);
        }
        Map<Integer, Integer> again = new TreeMap<>(runs);
        again.values().removeIf(times -> times == 1);
        assertThat(again).as("items fn ran more than once (item=times) with %d items in chunks of %d: the chunks"
                + " overlap; %s", n, chunk, starts).isEmpty();
        assertThat(results).as("results of %d items in chunks of %d (null: an item no chunk ran; %s)", n, chunk, starts)
                .containsExactlyElementsOf(items(n).stream().map(i -> "item " + i).toList());
        for (int head : heads) {
            List<Integer> expected = IntStream.range(head, Math.min(n, head + chunk)).boxed().toList();
            assertThat(byThread.values()).as("with chunkSize %d, items %d to %d must be one task, run by one thread"
                    + " item after item: is chunkSize used to group the items?", chunk, head,
                    expected.get(expected.size() - 1)).anySatisfy(ran -> assertThat(ran).containsSequence(expected));
        }
    }

    @Test
    @Order(11)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Function<Integer, Integer> same = i -> i;
        Arguments.assertRefused("map(null, fn, 2)", NullPointerException.class, "items",
                () -> ParallelMap.map(null, same, 2));
        Arguments.assertRefused("map(items, null, 2)", NullPointerException.class, "fn",
                () -> ParallelMap.map(items(3), null, 2));
        Arguments.assertRefused("map(items, fn, 0)", IllegalArgumentException.class, "workers",
                () -> ParallelMap.map(items(3), same, 0));
        Arguments.assertRefused("map(items, fn, 2, 0)", IllegalArgumentException.class, "chunkSize",
                () -> ParallelMap.map(items(3), same, 2, 0));
        assertThat(ParallelMap.map(List.<Integer>of(), same, 2)).as("map of no items").isEmpty();
    }
}
