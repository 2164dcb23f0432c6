// Mutant: check-then-put on a HashMap: two threads can both see the seat free and both take it.
package ch03_races;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

public class SeatBooking {

    private final Map<String, String> seats = new HashMap<>();

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
        return new HashMap<>(seats);
    }
}
