package ch03_races;

/** Correct: the counter's own monitor guards value. */
public class LockedCounter implements Counter {

    private long value; // guarded by this

    @Override
    public synchronized void increment() {
        value++;
    }

    @Override
    public synchronized long get() {
        return value;
    }
}
