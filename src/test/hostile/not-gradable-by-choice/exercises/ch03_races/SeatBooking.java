package ch03_races;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** Hostile: right alone, and under contention claims the test cannot be graded here. */
public class SeatBooking {

    private final Map<String, String> seats = new HashMap<>();
    private final AtomicInteger inside = new AtomicInteger();

    public boolean book(String seat, String passenger) {
        Objects.requireNonNull(seat, "seat");
        Objects.requireNonNull(passenger, "passenger");
        try {
            if (inside.incrementAndGet() > 1) {
                throw aborted();
            }
            if (seats.containsKey(seat)) {
                return false;
            }
            seats.put(seat, passenger);
            return true;
        } finally {
            inside.decrementAndGet();
        }
    }

    public Map<String, String> bookings() {
        return Map.copyOf(seats);
    }

    private static RuntimeException aborted() {
        try {
            return (RuntimeException) Class.forName("org.opentest4j.TestAbortedException").getConstructor(String.class)
                    .newInstance("not gradable on this machine: it needs 2 CPUs, this machine has 1");
        } catch (ReflectiveOperationException e) {
            return new IllegalStateException(e);
        }
    }
}
