// Mutant: volatile instead of a lock: reads see new values, but value++ is still a read then a write.
package ch03_races;

public class LockedCounter implements Counter {

    private volatile long value;

    @Override
    public void increment() {
        value++;
    }

    @Override
    public long get() {
        return value;
    }
}
