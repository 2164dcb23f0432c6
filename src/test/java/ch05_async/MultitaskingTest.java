package ch05_async;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(16)
class MultitaskingTest {

    private static String at(double seconds, String message) {
        return Log.line(Duration.ofMillis(Math.round(seconds * 1000)), message);
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("reading a book while checking the phone: the exact interleaving, on virtual time")
    void readBookAndCheckPhone() {
        EventLoop loop = new EventLoop();
        List<String> expected = new ArrayList<>(List.of(at(0, "book: start reading"), at(0, "phone: start checking")));
        for (int second = 1; second <= 20; second++) {
            // At a shared second the book's and the phone's timers were set earlier than the ticker's.
            if (second % 4 == 0 && second <= 16) {
                expected.add(at(second, "book: read page " + second / 4));
            }
            int message = List.of(2, 6, 7).indexOf(second) + 1;
            if (message > 0) {
                expected.add(at(second, "phone: message " + message));
            }
            expected.add(at(second, "tick " + second));
        }
        expected.add(at(20, "all done"));
        assertThat(Multitasking.readBookAndCheckPhone(loop))
                .as("the log of the three tasks: they run together, each waiting with loop.sleep (never a real"
                        + " sleep, never one task after the other)")
                .containsExactlyElementsOf(expected);
        assertThat(loop.now()).as("the loop's clock afterwards: the program runs on the loop it is given")
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("five sleepers: each naps its random time while main sleeps 2 s, then main waits for all")
    void fiveSleepers() {
        // 444 is the source's seed; with 461737 two sleepers wake at 2 s, with main (three timers due at once);
        // with 7600010 three sleepers wake at the same moment.
        for (long seed : new long[] {444, 461737, 7600010}) {
            assertFiveSleepers(seed);
        }
    }

    private static void assertFiveSleepers(long seed) {
        List<String> expected = new ArrayList<>(List.of(at(0, "main: starting 5 sleepers")));
        Random random = new Random(seed);
        record Wake(long millis, int order, String message) {
        }
        // Main's 2 s timer is set before any sleeper starts, so it goes first at a tie.
        List<Wake> wakes = new ArrayList<>(List.of(new Wake(2000, 0, "main: waiting for the sleepers")));
        for (int i = 1; i <= 5; i++) {
            int nap = random.nextInt(5001);
            expected.add(at(0, "sleeper " + i + ": sleeping " + nap + " ms"));
            wakes.add(new Wake(nap, i, "sleeper " + i + ": woke up"));
        }
        wakes.sort(Comparator.comparingLong(Wake::millis).thenComparingInt(Wake::order));
        wakes.forEach(wake -> expected.add(at(wake.millis() / 1000.0, wake.message())));
        expected.add(at(wakes.get(wakes.size() - 1).millis() / 1000.0, "main: all sleepers done"));
        EventLoop loop = new EventLoop();
        assertThat(Multitasking.fiveSleepers(loop, seed))
                .as("the five sleepers' log for seed %d: sleepers start with callSoon (so main's 2 s timer is set"
                        + " before theirs and goes first at a tie), main sleeps 2 s before it waits for them", seed)
                .containsExactlyElementsOf(expected);
        assertThat(loop.now()).as("the loop's clock after the five sleepers: the program runs on the loop it is given")
                .isEqualTo(Duration.ofMillis(wakes.get(wakes.size() - 1).millis()));
    }
}
