package ch03_races;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import kit.Threads;

/** The exact-count check both counter exercises share. */
final class CounterChecks {

    static final int THREADS = 8;
    static final int INCREMENTS = 200_000;

    private CounterChecks() {
    }

    static void assertExactUnderContention(Counter counter, String hint) throws InterruptedException {
        Threads.race(THREADS, Duration.ofSeconds(20), index -> {
            for (int i = 0; i < INCREMENTS; i++) {
                counter.increment();
            }
        });
        long expected = (long) THREADS * INCREMENTS;
        assertThat(counter.get())
                .as("%d threads each incremented %,d times; %,d updates were lost: %s", THREADS, INCREMENTS,
                        expected - counter.get(), hint)
                .isEqualTo(expected);
    }
}
