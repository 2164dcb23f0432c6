package ch04_futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import kit.Eventually;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(12)
class ParallelMapTest {

    /** How long a test waits for threads to stop: they are interrupted and should stop at once. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Waits at most {@link Stalls#BOUND} for {@code latch}, so a wrong solution cannot hang the test. */
    private static void await(CountDownLatch latch) {
        try {
            latch.await(Stalls.BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
    @DisplayName("results keep the order of the items though the items finish in reverse")
    void keepsInputOrder() throws InterruptedException {
        int n = 4;
        List<CountDownLatch> finished = IntStream.rangeClosed(0, n).mapToObj(i -> new CountDownLatch(1)).toList();
        finished.get(n).countDown();
        // Item i finishes a while after item i + 1: the last item first, the first item last.
        Function<Integer, String> fn = i -> {
            await(finished.get(i + 1));
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
    @Order(4)
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
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).as("what map threw when fn threw on item 1: an ItemFailedException naming the item, not"
                + " fn's exception bare or wrapped in an ExecutionException").isInstanceOf(ItemFailedException.class);
        ItemFailedException failure = (ItemFailedException) thrown;
        assertThat(failure.index()).as("the failing item's index").isEqualTo(1);
        assertThat(failure.getCause()).as("the cause: what fn threw, not a wrapper").isSameAs(bad);
        assertThat(took).as("time map took to report item 1's failure while item 0 never ends: are the futures"
                + " awaited in item order? Take them as they finish (a CompletionService)")
                .isLessThan(Stalls.BOUND.dividedBy(2));
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("after a failure the other tasks are cancelled: running ones interrupted, waiting ones never started")
    void failureCancelsTheRest() {
        Stalls stalls = new Stalls();
        assertThatThrownBy(() -> ParallelMap.map(items(8), i -> {
            if (i == 1) {
                throw new IllegalStateException("bad item");
            }
            return stalls.stall();
        }, 2)).as("what map threw when fn threw on item 1: an ItemFailedException naming the item")
                .isInstanceOf(ItemFailedException.class);
        Eventually.within(GRACE, "items still running after map reported a failure: cancel the other tasks with"
                + " cancel(true) (or shutdownNow), so that they are interrupted",
                () -> assertThat(stalls.running()).isZero());
        assertThat(stalls.started()).as("items started out of 8 (7 of them never end by themselves): the queued"
                + " tasks were not cancelled").isLessThanOrEqualTo(3);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("no pool thread is left when map returns, after success or failure")
    void poolIsShutDown() {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        ParallelMap.map(items(20), i -> workers.add(Thread.currentThread()), 3);
        assertThatThrownBy(() -> ParallelMap.map(items(20), i -> {
            workers.add(Thread.currentThread());
            throw new IllegalStateException("bad item");
        }, 3)).isInstanceOf(ItemFailedException.class);
        Eventually.within(GRACE, "pool threads still alive after map returned: shut the pool down in a finally",
                () -> assertThat(workers).noneMatch(Thread::isAlive));
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("with chunks, each task runs its chunk's consecutive items in order on one thread")
    void chunksRunAsOneTask() {
        int chunk = 4;
        List<Integer> heads = List.of(0, 4, 8);
        CountDownLatch headsStarted = new CountDownLatch(heads.size());
        Map<Thread, List<Integer>> byThread = new ConcurrentHashMap<>();
        List<String> results = ParallelMap.map(items(10), i -> {
            byThread.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>()).add(i);
            if (heads.contains(i)) {
                // Each chunk's first item holds its thread until every chunk has begun: one task per
                // item would have to run this chunk's next items on another thread meanwhile.
                headsStarted.countDown();
                await(headsStarted);
            }
            return "item " + i;
        }, 3, chunk);
        assertThat(results).as("results of 10 items in chunks of 4 (the last chunk has 2)")
                .containsExactlyElementsOf(items(10).stream().map(i -> "item " + i).toList());
        for (int head : heads) {
            List<Integer> expected = IntStream.range(head, Math.min(10, head + chunk)).boxed().toList();
            assertThat(byThread.values()).as("items %d to %d must be one task, run by one thread item after item:"
                    + " is chunkSize used to group the items?", head, expected.get(expected.size() - 1))
                    .anySatisfy(ran -> assertThat(ran).containsSequence(expected));
        }
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Function<Integer, Integer> same = i -> i;
        assertThatThrownBy(() -> ParallelMap.map(null, same, 2)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("items");
        assertThatThrownBy(() -> ParallelMap.map(items(3), null, 2)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("fn");
        assertThatThrownBy(() -> ParallelMap.map(items(3), same, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers");
        assertThatThrownBy(() -> ParallelMap.map(items(3), same, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkSize");
        assertThat(ParallelMap.map(List.<Integer>of(), same, 2)).as("map of no items").isEmpty();
    }
}
