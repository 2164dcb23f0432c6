// Mutant: a callback's exception escapes runUntilComplete and stops the loop.
package ch05_async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

public class EventLoop {

    /** A timer: when it is due, and its place in scheduling order (which breaks ties). */
    private record Timer(Duration due, long sequence, Runnable callback) {
    }

    private final Consumer<? super Throwable> onCallbackError;
    private final Queue<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparing(Timer::due).thenComparingLong(Timer::sequence));
    private Duration now = Duration.ZERO;
    private long scheduled;
    private boolean running;

    public EventLoop() {
        this(failure -> {
            System.err.println("EventLoop: a callback failed: " + failure);
            failure.printStackTrace();
        });
    }

    public EventLoop(Consumer<? super Throwable> onCallbackError) {
        this.onCallbackError = Objects.requireNonNull(onCallbackError, "onCallbackError");
    }

    public void callSoon(Runnable callback) {
        ready.add(Objects.requireNonNull(callback, "callback"));
    }

    public void callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(callback, "callback");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        timers.add(new Timer(now.plus(delay), scheduled++, callback));
    }

    public CompletableFuture<Void> sleep(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        callLater(delay, () -> done.complete(null));
        return done;
    }

    public void runUntilComplete(CompletableFuture<?> future) {
        Objects.requireNonNull(future, "future");
        if (running) {
            throw new IllegalStateException("the loop is already running: runUntilComplete cannot be nested");
        }
        running = true;
        try {
            while (!future.isDone()) {
                if (ready.isEmpty()) {
                    if (timers.isEmpty()) {
                        throw new IllegalStateException("the future can never complete: no callback or timer is"
                                + " scheduled on this loop");
                    }
                    now = timers.peek().due(); // virtual time: jump, never wait
                    while (!timers.isEmpty() && timers.peek().due().equals(now)) {
                        ready.add(timers.poll().callback());
                    }
                }
                Runnable callback = ready.poll();
                callback.run();
            }
        } finally {
            running = false;
        }
        future.join(); // a failed future fails this call, as join() would
    }

    public Duration now() {
        return now;
    }
}
