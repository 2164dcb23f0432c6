// Mutant: serialises bookings on a single-thread executor that is never shut down: its thread outlives the call.
package ch03_races;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class SeatBooking {

    private final ExecutorService desk = Executors.newSingleThreadExecutor();
    private final Map<String, String> seats = new HashMap<>(); // only touched by the desk thread

    public boolean book(String seat, String passenger) {
        Objects.requireNonNull(seat, "seat");
        Objects.requireNonNull(passenger, "passenger");
        return ask(() -> seats.putIfAbsent(seat, passenger) == null);
    }

    public Map<String, String> bookings() {
        return ask(() -> Map.copyOf(seats));
    }

    private <T> T ask(java.util.concurrent.Callable<T> question) {
        try {
            return desk.submit(question).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
