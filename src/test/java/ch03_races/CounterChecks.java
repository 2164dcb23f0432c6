package ch03_races;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import kit.Eventually;
import kit.Threads;
import kit.KitExtension;

/** The checks both counter exercises share. */
final class CounterChecks {

    static final int THREADS = 8;
    static final Duration RACE = Duration.ofMillis(200);
    static final int ROUNDS = 10;

    private CounterChecks() {
    }

    /**
     * A reader thread spins on {@code get()} of a fresh counter; once its loop has run a while
     * (long enough for the JIT to compile it), the test thread increments once. A get() that
     * reads a plain field outside any lock lets the compiled loop read it once and spin for ever.
     */
    static void assertSpinningReaderSeesIncrement(Supplier<? extends Counter> counters, String hint) {
        for (int round = 1; round <= 3; round++) {
            Counter counter = counters.get();
            AtomicBoolean sawIt = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                while (counter.get() == 0) {
                    // spin until the increment is visible
                }
                sawIt.set(true);
            });
            reader.setDaemon(true);
            reader.start();
            Eventually.throughout(Duration.ofMillis(300), Duration.ofSeconds(3), "round " + round
                    + ": a reader spinning on get() of a new counter stopped before anything was incremented",
                    () -> assertThat(sawIt).isFalse());
            counter.increment();
            try {
                Eventually.within(Duration.ofSeconds(2), "round " + round + ": a thread spinning on get() never saw"
                        + " the increment (waited 2 s): " + hint, () -> assertThat(sawIt).isTrue());
            } catch (AssertionError stale) {
                KitExtension.requestFreshJvm("a reader spins for ever");
                throw stale;
            }
        }
    }

    /**
     * 8 threads increment the same counter for the same 200 ms, each keeping its own tally, in up
     * to 10 rounds; the first round whose total falls short fails the test. A fixed number of
     * increments is not enough: the JIT can turn a loop of them into a few microseconds of work,
     * and threads that never overlap cannot lose anything. Racing for a fixed time makes them
     * share the CPUs, and get preempted, in the middle of their loops. One round can still miss on
     * a loaded machine; ten in a row did not (CALIBRATION.md, ch03), and correct code never loses,
     * so the solutions simply pay 2 s.
     */
    static void assertExactUnderContention(Counter counter, String hint) throws InterruptedException {
        long[] tallies = new long[THREADS];
        for (int round = 1; round <= ROUNDS; round++) {
            Threads.race(THREADS, Duration.ofSeconds(20), index -> {
                long end = System.nanoTime() + RACE.toNanos();
                long mine = 0;
                while (System.nanoTime() < end) {
                    counter.increment();
                    mine++;
                }
                tallies[index] += mine; // read after the race joins every thread
            });
            long expected = LongStream.of(tallies).sum();
            long counted = counter.get();
            assertThat(counted)
                    .as("%d threads incremented for %d ms (round %d), %,d times in all, but the counter says %,d:"
                            + " %,d updates were lost: %s", THREADS, RACE.toMillis() * round, round, expected, counted,
                            expected - counted, hint)
                    .isEqualTo(expected);
        }
    }
}
