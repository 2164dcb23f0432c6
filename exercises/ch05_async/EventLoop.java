package ch05_async;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Exercise 16: an event loop of your own, like asyncio's, on a virtual clock.
 *
 * <p>One thread (the one calling {@link #runUntilComplete}) runs every callback, one at a time.
 * Time is virtual: it starts at zero, and when no callback is ready the clock jumps to the next
 * timer; nothing ever really sleeps. Not thread-safe: use a loop from one thread.
 * See README.md in this folder.
 */
public class EventLoop {

    /** A loop that prints a failing callback's exception to System.err. */
    public EventLoop() {
        throw new UnsupportedOperationException("TODO: this(...) with a handler that prints to System.err");
    }

    /** A loop that passes a callback's exception to {@code onCallbackError} and carries on. */
    public EventLoop(Consumer<? super Throwable> onCallbackError) {
        throw new UnsupportedOperationException("TODO: keep the handler; set up a ready queue and a timer queue");
    }

    /** Runs {@code callback} at the current time, after the callbacks already ready (first in, first out). */
    public void callSoon(Runnable callback) {
        throw new UnsupportedOperationException("TODO: add to the ready queue");
    }

    /**
     * Runs {@code callback} when the clock reaches {@code now() + delay}. Timers run in time order;
     * timers due at the same time run in the order they were scheduled.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public void callLater(Duration delay, Runnable callback) {
        throw new UnsupportedOperationException("TODO: add a timer ordered by due time, then by scheduling order");
    }

    /** A future that completes {@code delay} later on this loop's clock: asyncio's {@code sleep}. */
    public CompletableFuture<Void> sleep(Duration delay) {
        throw new UnsupportedOperationException("TODO: callLater(delay, ...) completes a new future");
    }

    /**
     * Runs ready callbacks, and when none is ready moves the clock to the next timer, until
     * {@code future} is done. A callback that throws is reported to the handler; the loop goes on.
     * The loop can run again afterwards, also after a run that threw.
     *
     * @throws java.util.concurrent.CompletionException if {@code future} failed
     * @throws IllegalStateException if {@code future} is not done and nothing is scheduled that
     *     could complete it, or if the loop is already running
     */
    public void runUntilComplete(CompletableFuture<?> future) {
        throw new UnsupportedOperationException("TODO: loop: run a ready callback, or jump to the next timer, until done");
    }

    /** The virtual time since the loop was made. */
    public Duration now() {
        throw new UnsupportedOperationException("TODO: return the virtual clock");
    }
}
