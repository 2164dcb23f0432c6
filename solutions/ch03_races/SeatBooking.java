package ch03_races;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Thread-safe: {@code putIfAbsent} checks and takes the seat in one atomic step. */
public class SeatBooking {

    private final ConcurrentMap<String, String> seats = new ConcurrentHashMap<>();

    public boolean book(String seat, String passenger) {
        Objects.requireNonNull(seat, "seat");
        Objects.requireNonNull(passenger, "passenger");
        return seats.putIfAbsent(seat, passenger) == null;
    }

    public Map<String, String> bookings() {
        return Map.copyOf(seats);
    }
}
