// Mutant: check-then-put on a ConcurrentHashMap: each call is thread-safe, the pair of calls is not.
package ch03_races;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

public class SeatBooking {

    private final Map<String, String> seats = new ConcurrentHashMap<>();

    public boolean book(String seat, String passenger) {
        Objects.requireNonNull(seat, "seat");
        Objects.requireNonNull(passenger, "passenger");
        if (!seats.containsKey(seat)) {
            seats.put(seat, passenger);
            return true;
        }
        return false;
    }

    public Map<String, String> bookings() {
        return Map.copyOf(seats);
    }
}
