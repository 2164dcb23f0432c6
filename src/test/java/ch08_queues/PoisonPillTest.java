package ch08_queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kit.Arguments;
import kit.Blocking;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(21)
class PoisonPillTest {

    /** Far above the 0.1-1 s that 10^6 numbers take on a busy 2-CPU machine (CALIBRATION.md, ch08). */
    private static final Duration BOUND = Duration.ofSeconds(8);
    private static final int HELD_COUNT = 10_000;
    /** How long the writer pauses while the test watches the reader. */
    private static final Duration PAUSE = Duration.ofMillis(300);
    private static final int WINDOWS = 3;
    /** A reader blocked in take() uses next to nothing; a poll() loop uses the whole pause. */
    private static final Duration IDLE_CPU = Duration.ofMillis(50);

    private static final String STOPS_AT_SENTINEL = "the reader must stop only at the sentinel (not when the channel"
            + " looks empty), and the writer must send the sentinel after its last number";

    /** transfer(count, channel), or transfer(count) if channel is null, within a bound that grows with count. */
    private static TransferResult transfer(int count, WatchedChannel channel) throws Exception {
        // 2 s, and 6 s more per million numbers: 10^6 took at most 0.35 s here, beside other builds.
        Duration bound = Duration.ofSeconds(2).plusNanos(count * 6_000L);
        Optional<TransferResult> result = Threads.callWithin(bound, () -> channel == null
                ? PoisonPill.transfer(count) : PoisonPill.transfer(count, channel));
        if (result.isEmpty()) {
            throw new AssertionError("transfer(" + count + ") did not return within " + bound.toSeconds() + " s:"
                    + " either the reader never took a sentinel, or it stopped before it and the writer waits for room"
                    + " for ever: " + STOPS_AT_SENTINEL);
        }
        return result.get();
    }

    private static void assertAllReceived(int count, TransferResult result) {
        assertThat(result).as("what transfer(%d) returned", count).isNotNull();
        assertThat(result.received()).as("numbers the reader received of %,d: %s", count, STOPS_AT_SENTINEL)
                .isEqualTo(count);
        assertThat(result.sum()).as("sum of the numbers received (0 + 1 + ... + %,d)", count - 1)
                .isEqualTo((long) count * (count - 1) / 2);
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("every number arrives, at 10^4, 10^5 and 10^6 numbers (the times are reported like the sources' table)")
    void everyNumberArrives() throws Exception {
        assertAllReceived(0, transfer(0, null));
        StringBuilder table = new StringBuilder("PoisonPill.transfer, like the sources' table:");
        for (int count : new int[] {10_000, 100_000, 1_000_000}) {
            long start = System.nanoTime();
            TransferResult result = transfer(count, null);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            assertAllReceived(count, result);
            assertThat(result.elapsed()).as("elapsed time transfer(%d) reported, which it measured while the call"
                    + " lasted %d ms", count, wall.toMillis()).isPositive().isLessThanOrEqualTo(wall);
            Measure.log("transfer(" + count + ") ms", result.elapsed().toMillis());
            table.append(String.format("%n  %,9d numbers sent in %5d ms", count, result.elapsed().toMillis()));
        }
        System.out.println(table); // information, not a verdict: CALIBRATION.md keeps the figures
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("a writer thread puts the numbers in order, then the sentinel, last; a reader on another thread takes them all; both threads ended when it returns")
    void writerSendsTheSentinelLast() throws Exception {
        int count = 1_000;
        WatchedChannel channel = WatchedChannel.holdingAfterSentinel(count);
        Blocking.Call<TransferResult> call = Blocking.start(() -> PoisonPill.transfer(count, channel));
        Eventually.within(BOUND, "the writer never put a sentinel into the channel it was given (waited "
                + BOUND.toSeconds() + " s): " + STOPS_AT_SENTINEL, () -> assertThat(channel.isHeld() || call.isDone()).isTrue());
        if (channel.isHeld()) {
            // The sentinel is in, the reader can take it and end; the writer is still in its put().
            try {
                Eventually.throughout(PAUSE, BOUND, "transfer returned while its writer thread was still in its last"
                        + " put(), the sentinel's: it must return only once both threads have ended (join the writer"
                        + " as well as the reader; a latch or a result the reader hands over says nothing of the"
                        + " writer)", () -> assertThat(call.isDone()).isFalse());
            } finally {
                channel.release();
            }
        }
        Eventually.within(BOUND, "transfer did not return after the writer's last put", () -> assertThat(call.isDone()).isTrue());
        if (call.failure() != null) {
            throw failed(call);
        }
        TransferResult result = call.now();
        List<WatchedChannel.Move> puts = channel.puts();
        assertThat(puts).as("values put into the channel: the %,d numbers and one sentinel", count).hasSize(count + 1);
        Thread writer = puts.get(0).thread();
        assertThat(writer).as("the thread that put the first number: a writer thread of transfer's own, not the"
                + " thread that called transfer").isNotSameAs(Thread.currentThread());
        for (int i = 0; i < count; i++) {
            WatchedChannel.Move put = puts.get(i);
            assertThat(put.value()).as("value put %d: the numbers must go in order 0, 1, 2, ..., and the sentinel"
                    + " only after the last number", i + 1).isEqualTo(i);
            assertThat(put.thread()).as("the thread that put %d: the writer, like every number", i).isSameAs(writer);
        }
        WatchedChannel.Move sentinel = puts.get(count);
        assertThat(sentinel.value() < 0 || sentinel.value() >= count).as("the sentinel (%d) is not one of the"
                + " numbers", sentinel.value()).isTrue();
        assertThat(sentinel.thread()).as("the thread that put the sentinel: the writer must send it after its last"
                + " number; sent from elsewhere it can overtake numbers still to come").isSameAs(writer);
        Set<Thread> readers = channel.readers();
        assertThat(readers).as("threads that took from the channel: a reader, not the writer").doesNotContain(writer)
                .hasSize(1);
        assertThat(channel.takes()).as("values the reader took: every number, then the sentinel, and nothing after: "
                + STOPS_AT_SENTINEL).hasSize(count + 1);
        assertThat(channel).as("the channel after transfer returned, which the reader should have emptied: "
                + STOPS_AT_SENTINEL).isEmpty();
        assertAllReceived(count, result);
        assertThat(writer.isAlive()).as("the writer thread alive after transfer returned: join it").isFalse();
        Thread reader = readers.iterator().next();
        assertThat(reader == Thread.currentThread() || !reader.isAlive())
                .as("the reader thread (%s) alive after transfer returned: join it", reader).isTrue();

        // Once more, the reader's thread kept from ending for a while after it took the sentinel.
        WatchedChannel readerHeld = WatchedChannel.holdingReaderAfterSentinel(count);
        Blocking.Call<TransferResult> again = Blocking.start(() -> PoisonPill.transfer(count, readerHeld));
        Eventually.within(BOUND, "the reader never took the sentinel (waited " + BOUND.toSeconds() + " s): "
                + STOPS_AT_SENTINEL, () -> assertThat(readerHeld.isHeld() || again.isDone()).isTrue());
        try {
            if (readerHeld.readerExitHeld()) {
                Eventually.throughout(PAUSE, BOUND, "transfer returned while its reader thread, which had taken the"
                        + " sentinel, had not ended: join the reader (a latch it counts down, or the result it hands"
                        + " over, says that it is done, not that its thread has ended)",
                        () -> assertThat(again.isDone()).isFalse());
            }
        } finally {
            readerHeld.release();
        }
        Eventually.within(BOUND, "transfer did not return once its reader had ended", () -> assertThat(again.isDone()).isTrue());
        if (again.failure() != null) {
            throw failed(again);
        }
        assertAllReceived(count, again.now());
    }

    /** Runs a transfer of {@link #HELD_COUNT} whose writer pauses at the middle until the reader waits for it. */
    private static Blocking.Call<TransferResult> pausedTransfer(WatchedChannel channel) {
        Blocking.Call<TransferResult> call = Blocking.start(() -> PoisonPill.transfer(HELD_COUNT, channel));
        Eventually.within(BOUND, "the writer never put " + HELD_COUNT / 2 + " into the channel it was given (waited "
                + BOUND.toSeconds() + " s): are the numbers put into it with put(), in order?",
                () -> assertThat(channel.isHeld() || call.isDone()).isTrue());
        if (!channel.isHeld()) {
            throw failed(call);
        }
        Eventually.within(Duration.ofSeconds(3), "the writer paused at " + HELD_COUNT / 2 + " and the reader never"
                + " asked the channel for more: does the reader take() from the channel it was given?",
                () -> assertThat(channel.emptyAsks() > 0 || call.isDone()).isTrue());
        return call;
    }

    /** What a finished call threw (a stub's TODO as it is), or what it returned, as a failure. */
    private static AssertionError failed(Blocking.Call<TransferResult> call) {
        Throwable failure = call.failure();
        if (failure != null) {
            Arguments.unlessTodo(failure);
            return new AssertionError("transfer failed: " + failure, failure);
        }
        return new AssertionError("transfer returned " + call.now() + " before the writer had put half the numbers: "
                + STOPS_AT_SENTINEL);
    }

    /** The result of a paused transfer once the writer is released. */
    private static TransferResult finish(WatchedChannel channel, Blocking.Call<TransferResult> call) {
        channel.release();
        Eventually.within(BOUND, "transfer did not return after the writer's pause", () -> assertThat(call.isDone()).isTrue());
        if (call.failure() != null) {
            throw failed(call);
        }
        return call.now();
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a writer that pauses: the reader waits for the sentinel, it does not stop when the channel is empty")
    void readerWaitsThroughAPause() throws Exception {
        WatchedChannel channel = WatchedChannel.holdingBefore(HELD_COUNT / 2);
        Blocking.Call<TransferResult> call = pausedTransfer(channel);
        try {
            Eventually.throughout(PAUSE, BOUND, "the reader ended while the writer paused at " + HELD_COUNT / 2 + ": "
                    + STOPS_AT_SENTINEL, () -> assertThat(channel.readers()).allMatch(Thread::isAlive));
        } catch (AssertionError stopped) {
            channel.release();
            throw stopped;
        }
        TransferResult result = finish(channel, call);
        assertThat(result.received()).as("numbers received of %,d by a reader whose writer paused at %,d: the reader"
                + " stopped when the channel was empty for a moment; %s", HELD_COUNT, HELD_COUNT / 2, STOPS_AT_SENTINEL)
                .isEqualTo(HELD_COUNT);
        assertAllReceived(HELD_COUNT, result);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("while the writer pauses, the reader waits in take() and uses no CPU")
    void readerUsesNoCpuWhileWaiting() throws Exception {
        WatchedChannel channel = WatchedChannel.holdingBefore(HELD_COUNT / 2);
        Blocking.Call<TransferResult> call = pausedTransfer(channel);
        // Up to three windows while the writer is held: a waiting reader uses nothing in any of them; a
        // busy one shows itself in the first unless a crowded machine starves it of the CPU it wants.
        for (int window = 1; window <= WINDOWS; window++) {
            Blocking.CpuUse use;
            try {
                use = Blocking.cpuUse(PAUSE);
            } catch (RuntimeException | Error e) {
                channel.release();
                throw e;
            }
            Set<Thread> readers = channel.readers();
            Duration readerCpu = readers.stream().map(t -> use.byThread().get(t)).filter(d -> d != null)
                    .reduce(Duration.ZERO, Duration::plus);
            // A virtual reader's CPU time is its carrier's: then every thread is counted.
            Duration counted = readers.stream().anyMatch(Thread::isVirtual) ? use.total() : readerCpu;
            Measure.log("reader CPU while the writer paused, ms", counted.toMillis());
            if (counted.compareTo(IDLE_CPU) >= 0) {
                channel.release();
                assertThat(counted).as("CPU time the reader used in %d ms while the channel was empty (%s): a reader"
                        + " that loops on poll() burns a CPU waiting; block in take() instead", PAUSE.toMillis(), use)
                        .isLessThan(IDLE_CPU);
            }
        }
        assertAllReceived(HELD_COUNT, finish(channel, call));
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("a negative count or a null channel is refused, naming the argument")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("transfer(-1)", IllegalArgumentException.class, "count", () -> PoisonPill.transfer(-1));
        Arguments.assertRefused("transfer(-1, channel)", IllegalArgumentException.class, "count",
                () -> PoisonPill.transfer(-1, new WatchedChannel()));
        Arguments.assertRefused("transfer(10, null)", NullPointerException.class, "channel",
                () -> PoisonPill.transfer(10, null));
    }
}
