// Mutant: a new lock object on every call, so no two threads ever share one.
package ch03_races;

public class LockedCounter implements Counter {

    private long value;

    @Override
    public void increment() {
        synchronized (new Object()) {
            value++;
        }
    }

    @Override
    public long get() {
        synchronized (new Object()) {
            return value;
        }
    }
}
