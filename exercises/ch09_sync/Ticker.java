package ch09_sync;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Exercise 28: a timer that calls back at intervals, like the source's seconds ticker, on a
 * {@code ScheduledExecutorService}, and that stops cleanly. See README.md in this folder.
 */
public class Ticker implements AutoCloseable {

    /**
     * A ticker that, once started, calls {@code onTick} with 1, 2, 3, ... every {@code period}.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     * @throws NullPointerException if an argument is null
     */
    public Ticker(Duration period, LongConsumer onTick) {
        throw new UnsupportedOperationException("TODO: keep the period and the callback");
    }

    /**
     * Starts ticking, on a thread of the ticker's own: tick n is due n periods after the start (a
     * fixed rate: a slow tick does not push the later ones back). Ticks never overlap. A tick
     * whose {@code onTick} throws does not stop the ticker: the next one comes when it is due.
     *
     * @throws IllegalStateException if the ticker was started before
     */
    public void start() {
        throw new UnsupportedOperationException("TODO: scheduleAtFixedRate on a single-thread scheduler");
    }

    /**
     * Stops ticking: no tick begins after stop() returns. A tick under way when it is called is
     * let finish, and stop() returns after it has, with the ticker's thread ended. Called from
     * within {@code onTick}, it ends the ticking after that tick without waiting for itself.
     * Calling it again, or before start(), does nothing.
     */
    public void stop() {
        throw new UnsupportedOperationException("TODO: shut the scheduler down and await its termination");
    }

    /** The same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
