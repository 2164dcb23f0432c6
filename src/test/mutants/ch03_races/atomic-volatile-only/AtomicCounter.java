// Mutant: a volatile long instead of an atomic: visible, but value++ is not atomic.
package ch03_races;

public class AtomicCounter implements Counter {

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
