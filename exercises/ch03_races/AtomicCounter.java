package ch03_races;

/**
 * Exercise 8: the same counter without a lock.
 *
 * <p>As given, this is the racy counter. Make it thread-safe with an atomic variable from
 * {@code java.util.concurrent.atomic}, whose increment is one indivisible step.
 * See README.md in this folder.
 */
public class AtomicCounter implements Counter {

    private long value; // TODO: an atomic instead of a plain long

    @Override
    public void increment() {
        value++; // TODO: one atomic step, not a read followed by a write
    }

    @Override
    public long get() {
        return value;
    }
}
