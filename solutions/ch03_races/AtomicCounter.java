package ch03_races;

import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe without a lock: the increment is one atomic read-modify-write. */
public class AtomicCounter implements Counter {

    private final AtomicLong value = new AtomicLong();

    @Override
    public void increment() {
        value.incrementAndGet();
    }

    @Override
    public long get() {
        return value.get();
    }
}
