package ch03_races;

import java.util.concurrent.locks.LockSupport;

/**
 * Not thread-safe, and slow about it: the source's demonstration reads the counter, pauses a
 * moment, then writes the value it read plus one, so that other threads almost surely read the
 * same value in between. Ten tasks incrementing twice each end well below twenty.
 */
public class SlowUnsafeCounter implements Counter {

    private final long pauseNanos;
    private long value; // unguarded on purpose

    /** A pause of 0.1 ms between the read and the write, as in the source. */
    public SlowUnsafeCounter() {
        this(100_000);
    }

    public SlowUnsafeCounter(long pauseNanos) {
        if (pauseNanos < 0) {
            throw new IllegalArgumentException("pauseNanos must not be negative, was " + pauseNanos);
        }
        this.pauseNanos = pauseNanos;
    }

    @Override
    public void increment() {
        long read = value;
        LockSupport.parkNanos(pauseNanos);
        value = read + 1;
    }

    @Override
    public long get() {
        return value;
    }
}
