package ch03_races;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import kit.Threads;
import kit.Exercise;
import kit.Points;
import kit.ModelCheck;
import kit.NeedsCpus;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(10)
class SeatBookingTest {

    private static final int THREADS = 16;
    private static final int SEATS = 1_000;
    /** Rounds go on for this long: on a busy machine the threads overlap in some rounds only. */
    private static final Duration RACING = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a free seat can be booked once; booking it again is refused")
    void seatIsBookedOnce() {
        SeatBooking flight = new SeatBooking();
        assertThat(flight.book("12A", "Ada")).as("booking a free seat").isTrue();
        assertThat(flight.book("12A", "Grace")).as("booking a taken seat").isFalse();
        assertThat(flight.bookings()).containsExactly(Map.entry("12A", "Ada"));
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("a null seat or passenger is refused, naming the argument")
    void nullsAreRefused() {
        SeatBooking flight = new SeatBooking();
        assertThatThrownBy(() -> flight.book(null, "Ada")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("seat");
        assertThatThrownBy(() -> flight.book("1A", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("passenger");
    }

    @Test
    @Order(3)
    @Points(2)
    @NeedsCpus(2) // on one CPU the threads seldom collide: the model check below grades the race there
    @DisplayName("16 threads racing for 1,000 seats, round after round for a second: one winner per seat, the one bookings() shows")
    void oneWinnerPerSeat() throws InterruptedException {
        long end = System.nanoTime() + RACING.toNanos();
        for (int round = 0; System.nanoTime() < end; round++) {
            SeatBooking flight = new SeatBooking();
            Map<String, ConcurrentLinkedQueue<String>> winners = new ConcurrentHashMap<>();
            // Every thread tries the seats in the same order, so they collide on each seat.
            Threads.race(THREADS, Duration.ofSeconds(10), index -> {
                for (int seat = 0; seat < SEATS; seat++) {
                    String passenger = "passenger-" + index;
                    if (flight.book("seat-" + seat, passenger)) {
                        winners.computeIfAbsent("seat-" + seat, s -> new ConcurrentLinkedQueue<>()).add(passenger);
                    }
                }
            });
            Map<String, String> bookings = flight.bookings();
            for (int seat = 0; seat < SEATS; seat++) {
                String name = "seat-" + seat;
                assertThat(winners.get(name))
                        .as("round %d: passengers told they won %s. Checking that a seat is free and then taking"
                                + " it are two steps; make them one (putIfAbsent).", round, name)
                        .hasSize(1);
                assertThat(bookings.get(name)).as("round %d: bookings() for %s, the passenger book() told", round, name)
                        .isEqualTo(winners.get(name).peek());
            }
            assertThat(bookings).as("round %d: bookings()", round).hasSize(SEATS);
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @Timeout(240)
    @DisplayName("no interleaving of two bookings of one seat gives it to both or to neither (model checking, on any number of CPUs)")
    void modelCheckedSameSeat() {
        ModelCheck.check(RaceModels.SameSeat.class).assertPassed("Checking that the seat is free and then taking it are two"
                + " steps; make them one atomic step (putIfAbsent on a ConcurrentMap, or both under one lock).");
    }
}
