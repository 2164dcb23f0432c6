package ch03_races;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** What a jcstress test says when the code lost updates in the test JVM but not in jcstress's. */
    static final String ONLY_UNDER_JCSTRESS = "jcstress saw none lost in the JVMs it starts, but here, in the test JVM, updates"
            + " were lost: the counter must be thread-safe wherever it runs, and code that is safe only where jcstress runs it"
            + " earns nothing from jcstress";

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
    static void assertExactUnderContention(Supplier<? extends Counter> counters, String hint) throws InterruptedException {
        Counter counter = counters.get();
        String lost = LOST.get(counter.getClass());
        if (lost == null) {
            lost = race(counter);
            LOST.putIfAbsent(counter.getClass(), lost);
        }
        if (!lost.isEmpty()) {
            throw new AssertionError(lost + hint);
        }
    }

    /**
     * What the race saw, once per counter class in this JVM, whichever test asks first (the
     * contention test, or a jcstress test making sure the code holds outside jcstress's JVMs):
     * "" if nothing was lost.
     */
    private static final Map<Class<?>, String> LOST = new ConcurrentHashMap<>();

    private static String race(Counter counter) throws InterruptedException {
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
            if (counted != expected) {
                return String.format("%d threads incremented for %d ms (round %d), %,d times in all, but the counter says %,d:"
                        + " %,d updates were lost: ", THREADS, RACE.toMillis() * round, round, expected, counted, expected - counted);
            }
        }
        return "";
    }
}
