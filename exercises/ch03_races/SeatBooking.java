package ch03_races;

import java.util.Map;

/**
 * Exercise 10: a flight's seats, booked by many threads at once.
 *
 * <p>Each seat goes to exactly one passenger: whoever books it first. Checking whether a seat
 * is free and then taking it are two steps; another thread can take the seat in between.
 * See README.md in this folder.
 */
public class SeatBooking {

    /**
     * Books {@code seat} for {@code passenger} if nobody has it yet.
     *
     * @return true if this call got the seat, false if someone already had it
     * @throws NullPointerException if seat or passenger is null
     */
    public boolean book(String seat, String passenger) {
        throw new UnsupportedOperationException("TODO: check and take the seat in one atomic step");
    }

    /** Every booking so far, seat to passenger, as a snapshot. */
    public Map<String, String> bookings() {
        throw new UnsupportedOperationException("TODO: return a copy of the bookings");
    }
}
