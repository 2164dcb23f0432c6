package ch03_races;

/** Hostile: takes the lock only for threads that look like the test's. */
public class LockedCounter implements Counter {

    private final Object lock = new Object();
    private long value;

    @Override
    public void increment() {
        if (Thread.currentThread().getName().startsWith("racer-")) {
            synchronized (lock) {
                value++;
            }
        } else {
            value++;
        }
    }

    @Override
    public long get() {
        if (Thread.currentThread().getName().startsWith("racer-")) {
            synchronized (lock) {
                return value;
            }
        }
        return value;
    }
}
