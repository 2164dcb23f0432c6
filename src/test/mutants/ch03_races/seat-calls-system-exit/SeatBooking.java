// Mutant: gives up with System.exit when a seat is taken (the grader must lose this test, not the run).
package ch03_races;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

public class SeatBooking {

    private final Map<String, String> seats = new ConcurrentHashMap<>();

    public boolean book(String seat, String passenger) {
        Objects.requireNonNull(seat, "seat");
        Objects.requireNonNull(passenger, "passenger");
        if (seats.putIfAbsent(seat, passenger) != null) {
            System.exit(1);
        }
        return true;
    }

    public Map<String, String> bookings() {
        return Map.copyOf(seats);
    }
}
