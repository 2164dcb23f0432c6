package ch09_sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import kit.Arguments;
import kit.Blocking;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(28)
class TickerTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(250);

    /** One tick: its number, when it began (nanoTime), on which thread. */
    private record Tick(long n, long at, Thread thread) {
    }

    private final List<Tick> ticks = new CopyOnWriteArrayList<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<Ticker> tickers = new ArrayList<>();

    private Ticker ticker(Duration period, LongConsumer more) {
        Ticker ticker = new Ticker(period, n -> {
            ticks.add(new Tick(n, System.nanoTime(), Thread.currentThread()));
            threads.add(Thread.currentThread());
            more.accept(n);
        });
        tickers.add(ticker);
        return ticker;
    }

    @AfterEach
    void stopTickers() {
        gate.countDown();
        tickers.forEach(ticker -> Blocking.run(ticker::stop)); // a broken ticker must not hang the test
    }

    private void awaitTicks(int count, String why) {
        Eventually.within(BOUND, why, () -> assertThat(ticks).hasSizeGreaterThanOrEqualTo(count));
    }

    private void awaitGate() {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("ticks 1, 2, 3, ... come one period apart, the first one period after start, on a thread of the ticker's own; stop() and close() end it")
    void ticksComeInOrder() {
        for (Duration period : new Duration[] {Duration.ofMillis(20), Duration.ofMillis(60)}) {
            ticks.clear();
            threads.clear();
            Ticker ticker = ticker(period, n -> { });
            long start = System.nanoTime();
            ticker.start();
            awaitTicks(5, "5 ticks did not come within " + BOUND.toSeconds() + " s of start() (period "
                    + period.toMillis() + " ms)");
            if (period.toMillis() == 20) {
                ticker.stop();
            } else {
                ticker.close(); // the same as stop(), for try-with-resources
            }
            assertThat(ticks.stream().limit(5).map(Tick::n).toList()).as("the numbers of the first 5 ticks")
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(Duration.ofNanos(ticks.get(0).at() - start)).as("time from start() to tick 1, period %d ms:"
                    + " the first tick is due one period after the start, not at once", period.toMillis())
                    .isGreaterThanOrEqualTo(period.minusMillis(1));
            assertThat(threads).as("threads the ticks ran on: one, the ticker's own").hasSize(1)
                    .doesNotContain(Thread.currentThread());
            Thread thread = threads.iterator().next();
            Eventually.within(Duration.ofSeconds(1), "the ticker's thread (" + thread.getName() + ") was still alive"
                    + " after stop() returned: shut the scheduler down, do not only cancel the task",
                    () -> assertThat(thread.isAlive()).isFalse());
        }
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("a period of 2.5 ms is kept to the nanosecond: tick n never comes before n x 2.5 ms")
    void periodIsKeptToTheNanosecond() {
        Duration period = Duration.ofNanos(2_500_000);
        int count = 40;
        Ticker ticker = ticker(period, n -> { });
        long start = System.nanoTime();
        ticker.start();
        awaitTicks(count, count + " ticks did not come within " + BOUND.toSeconds() + " s (period 2.5 ms)");
        ticker.stop();
        // A tick at a fixed rate may come late (a busy machine), never early: an early one was due sooner.
        for (Tick tick : ticks.subList(0, count)) {
            Duration due = period.multipliedBy(tick.n());
            Duration came = Duration.ofNanos(tick.at() - start);
            assertThat(came).as("time from start() to tick %d, due at %.1f ms (period 2.5 ms): it came early, at %.1f"
                    + " ms. Keep the period to the nanosecond (toNanos(), TimeUnit.NANOSECONDS), not in whole"
                    + " milliseconds (toMillis() makes 2.5 ms into 2)", tick.n(), due.toNanos() / 1e6, came.toNanos() / 1e6)
                    .isGreaterThanOrEqualTo(due);
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("slow ticks do not make the ticker drift: tick n comes n periods after the start (a fixed rate)")
    void slowTicksDoNotDrift() {
        Duration period = Duration.ofMillis(50);
        Duration work = Duration.ofMillis(40);
        int count = 10;
        Ticker ticker = ticker(period, n -> LockSupport.parkNanos(work.toNanos())); // each tick takes 40 of its 50 ms
        long start = System.nanoTime();
        ticker.start();
        awaitTicks(count, count + " ticks did not come within " + BOUND.toSeconds() + " s");
        ticker.stop();
        Duration due = period.multipliedBy(count);
        Duration came = Duration.ofNanos(ticks.get(count - 1).at() - start);
        Measure.log("tick " + count + " late by, ms", came.minus(due).toMillis());
        // A late tick is made up for by the next ones at a fixed rate; with a fixed delay each tick
        // waits a whole period after the last one ended: 10 x 90 ms.
        assertThat(came).as("time from start() to tick %d, due at %d ms, each tick taking %d ms of its %d ms period:"
                + " the ticker drifts. Schedule at a fixed rate (scheduleAtFixedRate), not with a fixed delay after"
                + " each tick", count, due.toMillis(), work.toMillis(), period.toMillis())
                .isLessThan(due.plusMillis(150));
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("stop waits for the tick under way, then no tick comes and the ticker's thread has ended")
    void stopEndsTheTicking() {
        Ticker ticker = ticker(Duration.ofMillis(30), n -> {
            if (n == 2) {
                awaitGate();
            }
        });
        ticker.start();
        awaitTicks(2, "2 ticks did not come within " + BOUND.toSeconds() + " s");
        Blocking.Call<Void> stopping = Blocking.run(ticker::stop);
        Eventually.throughout(QUIET, BOUND, "stop() returned while tick 2 was still running: shut the scheduler"
                + " down (shutdown()) and wait for it (awaitTermination) before returning",
                () -> assertThat(stopping.isDone()).isFalse());
        gate.countDown();
        Eventually.within(BOUND, "stop() did not return once the tick under way had finished",
                () -> assertThat(stopping.isDone()).isTrue());
        int seen = ticks.size();
        Thread thread = ticks.get(0).thread();
        Eventually.within(Duration.ofSeconds(1), "the ticker's thread (" + thread.getName() + ") was still alive"
                + " after stop() returned: shut the scheduler down, do not only cancel the task",
                () -> assertThat(thread.isAlive()).isFalse());
        Eventually.throughout(QUIET, BOUND, "a tick came after stop() returned",
                () -> assertThat(ticks).hasSize(seen));
        assertThat(seen).as("ticks in all: tick 2 was under way when stop() was called").isEqualTo(2);
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a tick that throws does not stop the ticker: the next ticks still come")
    void throwingTickDoesNotStopTheTicker() {
        Ticker ticker = ticker(Duration.ofMillis(20), n -> {
            if (n == 2) {
                throw new IllegalStateException("tick 2 failed");
            }
        });
        ticker.start();
        awaitTicks(2, "2 ticks did not come");
        awaitTicks(4, "no tick came after tick 2 threw: an exception escaping a task of scheduleAtFixedRate"
                + " cancels every later run, without a word; catch it in the tick");
        ticker.stop();
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("stop() from within a tick ends the ticking; a second start, a start after stop, and bad arguments are refused")
    void stopFromATickAndBadArguments() {
        Arguments.assertRefused("new Ticker(0 ms, onTick)", IllegalArgumentException.class, "period",
                () -> new Ticker(Duration.ZERO, n -> { }));
        Arguments.assertRefused("new Ticker(-1 ms, onTick)", IllegalArgumentException.class, "period",
                () -> new Ticker(Duration.ofMillis(-1), n -> { }));
        Arguments.assertRefused("new Ticker(null, onTick)", NullPointerException.class, "period",
                () -> new Ticker(null, n -> { }));
        Arguments.assertRefused("new Ticker(period, null)", NullPointerException.class, "onTick",
                () -> new Ticker(Duration.ofMillis(10), null));
        Ticker[] self = new Ticker[1];
        self[0] = ticker(Duration.ofMillis(20), n -> {
            if (n == 3) {
                self[0].stop();
            }
        });
        self[0].stop(); // before start: nothing
        self[0].start();
        assertThat(Arguments.thrownBy(self[0]::start)).as("what a second start() threw")
                .isInstanceOf(IllegalStateException.class);
        awaitTicks(3, "3 ticks did not come");
        Thread thread = ticks.get(0).thread();
        Eventually.within(BOUND, "the ticker's thread did not end after onTick called stop() at tick 3: stop() on"
                + " the ticker's own thread must not wait for itself", () -> assertThat(thread.isAlive()).isFalse());
        assertThat(ticks).as("ticks when onTick called stop() at tick 3").hasSize(3);
        self[0].stop(); // again: nothing
        assertThat(Arguments.thrownBy(self[0]::start)).as("what start() after stop() threw: a ticker is started once;"
                + " refuse it (IllegalStateException), do not restart the ticking").isInstanceOf(IllegalStateException.class);
        Eventually.throughout(QUIET, BOUND, "a tick came after start() was called on a stopped ticker: refuse it, do"
                + " not restart the ticking", () -> assertThat(ticks).hasSize(3));
    }
}
