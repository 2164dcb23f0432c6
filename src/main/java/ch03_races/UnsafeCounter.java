package ch03_races;

/**
 * Not thread-safe: {@code value++} is a read, an add and a write, and two threads can read the
 * same value and both write it back plus one, losing an update. The chapter's jcstress
 * demonstration shows this happening.
 */
public class UnsafeCounter implements Counter {

    private long value; // unguarded on purpose

    @Override
    public void increment() {
        value++;
    }

    @Override
    public long get() {
        return value;
    }
}
