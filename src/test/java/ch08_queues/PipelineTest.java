package ch08_queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Blocking;
import kit.Eventually;
import kit.Exercise;
import kit.ModelCheck;
import kit.Points;
import kit.ThreadReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Exercise(23)
class PipelineTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);

    /** What reached the last stage, in order. */
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    /** The threads each stage's function ran on. */
    private final Set<Thread> stageThreads = ConcurrentHashMap.newKeySet();
    /** Holds the last stage until the test opens it. */
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private final List<Pipeline<?, ?, ?>> pipelines = new ArrayList<>();

    /** A pipeline of ints: first doubles, second writes "v" before, last records (after the gate, if held). */
    private Pipeline<Integer, Integer, String> pipeline(int capacity, boolean lastHeld, Function<Integer, Integer> first) {
        Pipeline<Integer, Integer, String> pipeline = new Pipeline<>(capacity, a -> {
            stageThreads.add(Thread.currentThread());
            return first.apply(a);
        }, b -> {
            stageThreads.add(Thread.currentThread());
            return "v" + b;
        }, c -> {
            stageThreads.add(Thread.currentThread());
            if (lastHeld) {
                awaitGate();
            }
            delivered.add(c);
        });
        pipelines.add(pipeline);
        return pipeline;
    }

    private static List<String> expected(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v" + 2 * i).toList();
    }

    private void awaitGate() {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void openGateAndShutDown() {
        gate.countDown();
        for (Pipeline<?, ?, ?> pipeline : pipelines) {
            Blocking.run(pipeline::shutdown); // a broken pipeline must not hang the test
        }
    }

    /** Calls shutdown() and waits for it, at most {@link #BOUND}; what it threw, or null. */
    private Throwable shutDown(Pipeline<?, ?, ?> pipeline) {
        Blocking.Call<Void> stopping = Blocking.run(pipeline::shutdown);
        try {
            Eventually.within(BOUND, "shutdown() did not return", () -> assertThat(stopping.isDone()).isTrue());
        } catch (AssertionError stuck) {
            List<Thread> alive = stageThreads.stream().filter(Thread::isAlive).toList();
            throw new AssertionError("shutdown() had not returned after " + BOUND.toSeconds() + " s, with " + alive.size()
                    + " stage threads still alive: does each stage pass the pill on to the next queue before it ends?\n"
                    + ThreadReport.describe(alive), stuck);
        }
        Throwable failure = stopping.failure();
        if (failure != null) {
            Arguments.unlessTodo(failure);
        }
        return failure;
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("every item goes through the three stages in order, each stage on a thread of its own; shutdown ends them")
    void itemsFlowInOrder() throws Exception {
        Pipeline<Integer, Integer, String> pipeline = pipeline(4, false, a -> a * 2);
        for (int i = 0; i < 500; i++) {
            pipeline.put(i);
        }
        Throwable failure = shutDown(pipeline);
        assertThat(failure).as("what shutdown() threw, though no function failed").isNull();
        assertThat(delivered).as("what reached the last stage, in order: every item once, as put (shutdown must"
                + " not drop the items in flight)").containsExactlyElementsOf(expected(0, 500));
        assertThat(stageThreads).as("threads the three stages ran on: three of their own, not the caller")
                .hasSize(3).doesNotContain(Thread.currentThread());
        assertThat(stageThreads).as("stage threads alive after shutdown() returned: it must wait for them to end")
                .noneMatch(Thread::isAlive);
    }

    /** Puts {@code items} from a producer thread while the last stage is stuck; checks it is held back. */
    private void assertProducerHeldBack(int capacity, int items) {
        Pipeline<Integer, Integer, String> pipeline = pipeline(capacity, true, a -> a * 2);
        AtomicInteger accepted = new AtomicInteger();
        Blocking.Call<Void> producer = Blocking.run(() -> {
            for (int i = 0; i < items; i++) {
                pipeline.put(i);
                accepted.incrementAndGet();
            }
        });
        int room = 3 * capacity + 3;
        String why = "with capacity " + capacity + " and the last stage stuck, put() must block once the queues are"
                + " full (at most " + room + " items in the pipeline): the queues must be bounded";
        try {
            Eventually.within(BOUND, why, () -> assertThat(producer.isWaiting() || producer.isDone()).isTrue());
            Eventually.throughout(QUIET, BOUND, why, () -> {
                assertThat(producer.isDone()).as("producer done, %d items accepted", accepted.get()).isFalse();
                assertThat(accepted.get()).as("items accepted").isLessThanOrEqualTo(room);
            });
        } catch (AssertionError notHeld) {
            if (producer.failure() != null) {
                Arguments.unlessTodo(producer.failure());
            }
            throw new AssertionError("the producer was never held back: put() accepted " + accepted.get() + " of "
                    + items + " items while the last stage was stuck. " + why + " (new ArrayBlockingQueue<>(capacity)),"
                    + " so that a slow consumer slows the producer down instead of filling the memory", notHeld);
        }
        gate.countDown();
        Eventually.within(BOUND, "the producer did not finish once the last stage went on",
                () -> assertThat(producer.isDone()).isTrue());
        assertThat(shutDown(pipeline)).as("what shutdown() threw").isNull();
        assertThat(delivered).as("what reached the last stage, in order").containsExactlyElementsOf(expected(0, items));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("a stuck last stage holds the producer back: put blocks once the bounded queues are full (capacity 1 and 5)")
    void slowLastStageHoldsTheProducerBack() {
        assertProducerHeldBack(1, 200);
        gate = new CountDownLatch(1); // the first pipeline has ended: a new gate and record for the second
        delivered.clear();
        stageThreads.clear();
        assertProducerHeldBack(5, 200);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("shutdown lets the items in flight reach the last stage before the stages end")
    void shutdownDeliversItemsInFlight() throws Exception {
        Pipeline<Integer, Integer, String> pipeline = pipeline(10, true, a -> a * 2);
        for (int i = 0; i < 20; i++) {
            pipeline.put(i);
        }
        Blocking.Call<Void> stopping = Blocking.run(pipeline::shutdown);
        Eventually.throughout(QUIET, BOUND, "shutdown() returned while 20 items were still in the pipeline and the"
                + " last stage was stuck: the items in flight must reach the last stage first",
                () -> assertThat(stopping.isDone()).isFalse());
        gate.countDown();
        Eventually.within(BOUND, "shutdown() did not return once the last stage went on",
                () -> assertThat(stopping.isDone()).isTrue());
        if (stopping.failure() != null) {
            Arguments.unlessTodo(stopping.failure());
        }
        assertThat(delivered).as("items that reached the last stage of the 20 put before shutdown(): shutdown must"
                + " not drop the items in flight (no interrupt, no clear(): the pill goes after them)")
                .containsExactlyElementsOf(expected(0, 20));
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("a function that throws loses only its item: the stage goes on, and shutdown reports the failure with its cause, once")
    void failingItemIsSkippedAndReported() throws Exception {
        IllegalStateException bad = new IllegalStateException("item 3 is bad");
        Pipeline<Integer, Integer, String> pipeline = pipeline(10, false, a -> {
            if (a == 3) {
                throw bad;
            }
            return a * 2;
        });
        for (int i = 0; i < 10; i++) {
            pipeline.put(i);
        }
        Throwable thrown;
        try {
            thrown = shutDown(pipeline);
        } catch (AssertionError stuck) {
            throw new AssertionError("after the first stage's function threw on item 3, the pipeline never ended: a"
                    + " stage must catch what its function throws and go on with the next item", stuck);
        }
        List<String> expected = new ArrayList<>(expected(0, 10));
        expected.remove("v6");
        assertThat(delivered).as("what reached the last stage when the first stage threw on item 3: every other"
                + " item, in order; the stage goes on after a failure").containsExactlyElementsOf(expected);
        assertThat(thrown).as("what shutdown() threw: a CompletionException whose cause is what the function threw")
                .isInstanceOf(CompletionException.class).cause().isSameAs(bad);
        assertThat(shutDown(pipeline)).as("what a second shutdown() threw, after the first reported the failure:"
                + " calling it again does nothing").isNull();
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument, and so is an item after shutdown")
    void badArgumentsAreRefused() throws Exception {
        Function<Integer, Integer> same = i -> i;
        Arguments.assertRefused("new Pipeline(0, ...)", IllegalArgumentException.class, "capacity",
                () -> new Pipeline<Integer, Integer, Integer>(0, same, same, c -> { }));
        Arguments.assertRefused("new Pipeline(2, null, ...)", NullPointerException.class, "first",
                () -> new Pipeline<Integer, Integer, Integer>(2, null, same, c -> { }));
        Arguments.assertRefused("new Pipeline(2, first, null, last)", NullPointerException.class, "second",
                () -> new Pipeline<Integer, Integer, Integer>(2, same, null, c -> { }));
        Arguments.assertRefused("new Pipeline(2, first, second, null)", NullPointerException.class, "last",
                () -> new Pipeline<Integer, Integer, Integer>(2, same, same, null));
        Pipeline<Integer, Integer, String> pipeline = pipeline(2, false, a -> a);
        Arguments.assertRefused("put(null)", NullPointerException.class, "item", () -> pipeline.put(null));
        assertThat(shutDown(pipeline)).as("what shutdown() threw").isNull();
        assertThat(Arguments.thrownBy(() -> pipeline.put(1))).as("what put() threw after shutdown()")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(6)
    @Points(1)
    @Timeout(240)
    @DisplayName("a put racing shutdown is refused or its item reaches the last stage, in every interleaving (model checking, on any number of CPUs)")
    void putRacingShutdownLosesNothing() {
        ModelCheck.check(PipelineModels.PutRacesShutdown.class).assertPassed("A put that returns must have its item reach"
                + " the last stage, even when shutdown() runs at the same moment: never queue it behind the pill.", "Threads were left waiting for ever while"
                + " a put and shutdown() ran at once: does each stage pass the pill on, and does shutdown wait only for"
                + " puts that can finish?");
    }
}
