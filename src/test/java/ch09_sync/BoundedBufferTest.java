package ch09_sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Blocking;
import kit.Demonstration;
import kit.Eventually;
import kit.Exercise;
import kit.Jcstress;
import kit.KitExtension;
import kit.ModelCheck;
import kit.NeedsCpus;
import kit.Timed;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jcstress.annotations.Expect;

@Exercise(24)
class BoundedBufferTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long "still waiting" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 3_000;

    private static final String LOCKED = "is every change to the buffer (items, head, count) made while holding the"
            + " lock, one lock for put and take alike?";

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("items come out in the order they went in, and size() counts them (capacity 1 and 3)")
    void firstInFirstOut() throws InterruptedException {
        for (int capacity : new int[] {1, 3}) {
            BoundedBuffer<String> buffer = new BoundedBuffer<>(capacity);
            for (int round = 0; round < 3; round++) { // round and round the ring
                List<String> items = IntStream.range(0, capacity).mapToObj(i -> "item " + i).toList();
                for (String item : items) {
                    buffer.put(item);
                }
                assertThat(buffer.size()).as("size() of a buffer of %d after %d puts", capacity, capacity)
                        .isEqualTo(capacity);
                List<String> taken = new ArrayList<>();
                for (int i = 0; i < capacity; i++) {
                    taken.add(buffer.take());
                }
                assertThat(taken).as("what take() returned, round %d, capacity %d: first in, first out", round + 1,
                        capacity).containsExactlyElementsOf(items);
                assertThat(buffer.size()).as("size() once every item was taken").isZero();
            }
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("take() waits, parked, while the buffer is empty, and put() while it is full, until the other side acts")
    void callersWaitParked() throws Exception {
        BoundedBuffer<String> buffer = new BoundedBuffer<>(2);
        Blocking.Call<String> taker = Blocking.start(buffer::take);
        String parked = "must wait parked in await(), using no CPU; a loop that only releases and retakes the lock"
                + " spins";
        Blocking.awaitWaiting(BOUND, "take() of an empty buffer " + parked, List.of(taker.thread()));
        Eventually.throughout(QUIET, BOUND, "take() of an empty buffer returned", () -> {
            assertThat(taker.isDone()).as("take() done (with %s)", taker.failure()).isFalse();
            assertThat(taker.isWaiting()).as("take() parked").isTrue();
        });
        buffer.put("a");
        Eventually.within(BOUND, "take() waiting on an empty buffer did not return after a put(): signal the"
                + " waiting consumers when an item comes", () -> assertThat(taker.isDone()).isTrue());
        assertThat(taker.now()).as("what the waiting take() returned").isEqualTo("a");

        buffer.put("b");
        buffer.put("c");
        Blocking.Call<Void> putter = Blocking.run(() -> buffer.put("d"));
        Blocking.awaitWaiting(BOUND, "put() into a full buffer " + parked, List.of(putter.thread()));
        Eventually.throughout(QUIET, BOUND, "put() into a full buffer returned", () -> {
            assertThat(putter.isDone()).as("put() done (with %s)", putter.failure()).isFalse();
            assertThat(putter.isWaiting()).as("put() parked").isTrue();
        });
        assertThat(buffer.take()).as("take() from the full buffer").isEqualTo("b");
        Eventually.within(BOUND, "put() waiting on a full buffer did not return after a take(): signal the waiting"
                + " producers when room is made", () -> assertThat(putter.isDone()).isTrue());
        assertThat(List.of(buffer.take(), buffer.take())).as("what is left, in order").containsExactly("c", "d");
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("three consumers wait on an empty buffer: each put wakes exactly one of them, with that item")
    void eachPutReleasesOneConsumer() throws Exception {
        BoundedBuffer<String> buffer = new BoundedBuffer<>(1);
        List<Blocking.Call<String>> consumers = List.of(Blocking.start(buffer::take), Blocking.start(buffer::take),
                Blocking.start(buffer::take));
        Blocking.awaitWaiting(BOUND, "three take() of an empty buffer must all wait",
                consumers.stream().map(Blocking.Call::thread).toList());
        List<String> put = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String item = "item " + i;
            buffer.put(item);
            put.add(item);
            int expected = i;
            Eventually.within(BOUND, "a consumer waiting on an empty buffer did not return after a put()",
                    () -> assertThat(consumers.stream().filter(Blocking.Call::isDone).count()).isGreaterThanOrEqualTo(expected));
            Eventually.throughout(QUIET, BOUND, returned(consumers, i), () -> assertThat(consumers.stream()
                    .filter(Blocking.Call::isDone).count()).isEqualTo(expected));
        }
        assertThat(consumers.stream().map(c -> c.failure() == null ? c.now() : "threw " + c.failure()).toList())
                .as("what the three consumers took from three puts: each item once; %s", returned(consumers, 3))
                .containsExactlyInAnyOrderElementsOf(put);
    }

    private static String returned(List<Blocking.Call<String>> consumers, int puts) {
        List<String> got = consumers.stream().filter(Blocking.Call::isDone)
                .map(c -> c.failure() == null ? String.valueOf(c.now()) : "threw " + c.failure()).toList();
        return "after " + puts + " put(s) " + got.size() + " of 3 waiting consumers returned from take(), with " + got
                + ": a woken consumer must check again, in a while loop, whether there is an item (another may have"
                + " taken it), and wait again if there is none";
    }

    /** How often the two-waiter scenario is played: each round, the two changes come within microseconds. */
    private static final int ROUNDS = 3;

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("two consumers wait and two items come one right after the other: both return; two producers wait and two items are taken: both return")
    void twoQuickChangesReleaseTwoWaiters() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            BoundedBuffer<String> buffer = new BoundedBuffer<>(2);
            List<Blocking.Call<String>> consumers = List.of(Blocking.start(buffer::take), Blocking.start(buffer::take));
            Blocking.awaitWaiting(BOUND, "two take() of an empty buffer must both wait",
                    consumers.stream().map(Blocking.Call::thread).toList());
            buffer.put("a");
            buffer.put("b"); // before the first consumer woken can take "a"
            String why = "round " + round + ": two consumers waited on an empty buffer, and two items were put one"
                    + " right after the other, but only %d of them returned from take(): every put() must signal a"
                    + " waiting consumer, not only the one that makes an empty buffer non-empty (a consumer woken"
                    + " by the first put may not have taken its item by the second)";
            Eventually.within(BOUND, String.format(why, consumers.stream().filter(Blocking.Call::isDone).count()),
                    () -> assertThat(consumers).allMatch(Blocking.Call::isDone));
            assertThat(consumers.stream().map(c -> c.failure() == null ? c.now() : "threw " + c.failure()).toList())
                    .as("what the two consumers took").containsExactlyInAnyOrder("a", "b");

            buffer.put("c");
            buffer.put("d");
            List<Blocking.Call<Void>> producers = List.of(Blocking.run(() -> buffer.put("e")),
                    Blocking.run(() -> buffer.put("f")));
            Blocking.awaitWaiting(BOUND, "two put() into a full buffer must both wait",
                    producers.stream().map(Blocking.Call::thread).toList());
            List<String> taken = new ArrayList<>(List.of(buffer.take(), buffer.take())); // before the first producer woken can put
            String whyPut = "round " + round + ": two producers waited on a full buffer, and two items were taken one"
                    + " right after the other, but only %d of them returned from put(): every take() must signal a"
                    + " waiting producer, not only the one that makes a full buffer non-full";
            Eventually.within(BOUND, String.format(whyPut, producers.stream().filter(Blocking.Call::isDone).count()),
                    () -> assertThat(producers).allMatch(Blocking.Call::isDone));
            taken.add(buffer.take());
            taken.add(buffer.take());
            assertThat(taken.subList(0, 2)).as("the first two items taken from the full buffer").containsExactly("c", "d");
            assertThat(taken.subList(2, 4)).as("the items the two waiting producers put").containsExactlyInAnyOrder("e", "f");
        }
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("4 producers and 4 consumers pass 12,000 items through a buffer of 1: none lost, none twice, no one stuck")
    void manyProducersAndConsumers() throws InterruptedException {
        BoundedBuffer<Integer> buffer = new BoundedBuffer<>(1);
        List<List<Integer>> taken = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            taken.add(new CopyOnWriteArrayList<>());
        }
        try {
            Threads.race(2 * PRODUCERS, BOUND, index -> {
                if (index < PRODUCERS) {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        buffer.put(index * PER_PRODUCER + i);
                    }
                } else {
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        mine.add(buffer.take());
                    }
                    taken.get(index - PRODUCERS).addAll(mine);
                }
            });
        } catch (AssertionError stuck) {
            if (stuck.getMessage() != null && stuck.getMessage().contains("were not done")) {
                throw new AssertionError("producers and consumers were stuck, each waiting although the buffer of 1"
                        + " had an item or room: a wakeup was lost. signal() on a condition that producers and"
                        + " consumers share can wake a thread of the wrong kind, which goes back to waiting while the"
                        + " one that could go on never hears of it: use two conditions (notFull, notEmpty), or"
                        + " signalAll(). Or the state was changed outside the lock: take and put must change the"
                        + " items and the count only while holding the lock. " + stuck.getMessage(), stuck);
            }
            throw stuck;
        }
        List<Integer> all = taken.stream().flatMap(List::stream).toList();
        long nulls = all.stream().filter(Objects::isNull).count();
        ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
        all.stream().filter(Objects::nonNull).forEach(item -> seen.merge(item, 1, Integer::sum));
        List<Integer> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey()).limit(5).toList();
        if (nulls > 0 || !twice.isEmpty() || seen.size() != PRODUCERS * PER_PRODUCER) {
            // The count only (a list of nulls teaches nothing); the likely causes, the commonest first.
            throw new AssertionError("of " + String.format("%,d", PRODUCERS * PER_PRODUCER) + " items put, the"
                    + " consumers took " + seen.size() + " distinct ones, " + nulls + " times null, and items more than"
                    + " once " + twice + " (first 5): a consumer took from an empty buffer, or a producer put into a"
                    + " full one. A thread woken from await() must check again, in a while loop, whether it can go"
                    + " on: another one may have come first (with a ReentrantLock a thread that was not waiting can"
                    + " take the lock before the one that was signalled). Or the state was changed outside the lock: "
                    + LOCKED);
        }
        for (List<Integer> consumer : taken) {
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                List<Integer> fromOne = consumer.stream().filter(item -> item / PER_PRODUCER == producer).toList();
                assertThat(fromOne).as("one consumer's items from producer %d: in the order that producer put them"
                        + " (first in, first out)", p).isSorted();
            }
        }
    }

    @Test
    @Order(6)
    @Points(2)
    @Timeout(240)
    @NeedsCpus(2)
    @Timed
    @DisplayName("put and take at once never lose, duplicate or reorder an item (jcstress)")
    void neverLosesOrDuplicates() {
        String hint = "Two threads used the buffer at the same moment and an item was lost, taken twice or the size"
                + " came out wrong: " + LOCKED;
        Jcstress.Outcomes outcomes = Jcstress.run(BufferStress.PutAndTake.class);
        outcomes.assertNothingForbidden(hint);
        System.out.println(outcomes.table()); // what a correct buffer gives, row by row
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("a thread waiting in take() or in put() can be interrupted, the buffer unchanged; bad arguments are refused, naming the argument")
    void interruptAndBadArguments() throws Exception {
        Arguments.assertRefused("new BoundedBuffer(0)", IllegalArgumentException.class, "capacity",
                () -> new BoundedBuffer<String>(0));
        BoundedBuffer<String> buffer = new BoundedBuffer<>(2);
        Arguments.assertRefused("put(null)", NullPointerException.class, "item", () -> buffer.put(null));
        Blocking.Call<String> taker = Blocking.start(buffer::take);
        Blocking.awaitWaiting(BOUND, "take() of an empty buffer must wait", List.of(taker.thread()));
        taker.thread().interrupt();
        Eventually.within(BOUND, "take() did not end when its thread was interrupted: let the InterruptedException"
                + " of await() out, do not catch it and wait again", () -> assertThat(taker.isDone()).isTrue());
        assertThat(taker.failure()).as("what the interrupted take() threw").isInstanceOf(InterruptedException.class);
        buffer.put("after");
        assertThat(buffer.size()).as("size() after an interrupted take() and one put()").isEqualTo(1);
        assertThat(buffer.take()).as("take() after an interrupted take()").isEqualTo("after");

        buffer.put("a");
        buffer.put("b");
        Blocking.Call<Void> putter = Blocking.run(() -> buffer.put("c"));
        Blocking.awaitWaiting(BOUND, "put() into a full buffer must wait", List.of(putter.thread()));
        putter.thread().interrupt();
        Eventually.within(BOUND, "put() into a full buffer did not end when its thread was interrupted: let the"
                + " InterruptedException of await() out, do not catch it and wait again",
                () -> assertThat(putter.isDone()).isTrue());
        assertThat(putter.failure()).as("what the interrupted put() threw: the InterruptedException of await(), let"
                + " out").isInstanceOf(InterruptedException.class);
        assertThat(buffer.size()).as("size() of a full buffer of 2 after an interrupted put(): unchanged").isEqualTo(2);
        assertThat(List.of(buffer.take(), buffer.take())).as("what the buffer held after an interrupted put():"
                + " unchanged").containsExactly("a", "b");
        assertThat(buffer.size()).as("size() once both were taken").isZero();
    }

    @Test
    @Order(8)
    @Demonstration
    @Timeout(240)
    @NeedsCpus(2)
    @Timed
    @DisplayName("two puts at once on a ring without a lock overwrite each other (jcstress, the race made visible)")
    void unlockedRingLosesItems() {
        Jcstress.Outcomes outcomes = Jcstress.run(BufferStress.UnlockedTwoPuts.class);
        if (outcomes.outcomes().stream().noneMatch(o -> o.expect() == Expect.ACCEPTABLE_INTERESTING && o.count() > 0)) {
            throw new AssertionError("jcstress did not catch the ring without a lock losing an item this time.\n"
                    + outcomes.table());
        }
        KitExtension.show(outcomes.inWords());
    }

    @Test
    @Order(9)
    @Points(2)
    @Timeout(240)
    @DisplayName("no interleaving of one producer and two consumers on a buffer of 1 loses, duplicates or invents an item, or leaves a thread waiting (model checking, on any number of CPUs)")
    void modelCheckedHandOffs() {
        ModelCheck.check(BufferModels.OneProducerTwoConsumers.class).assertPassed("A producer and consumers that run at"
                + " the same time must pass every item once.", "Threads were left waiting for ever: a wakeup was lost."
                + " A signal must reach a thread that can use it: one condition for not-full and one for not-empty,"
                + " or signalAll().");
    }
}
