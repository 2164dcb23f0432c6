// Mutant: an AtomicLong used as get() then set(get() + 1): two atomic steps are not one.
package ch03_races;

import java.util.concurrent.atomic.AtomicLong;

public class AtomicCounter implements Counter {

    private final AtomicLong value = new AtomicLong();

    @Override
    public void increment() {
        value.set(value.get() + 1);
    }

    @Override
    public long get() {
        return value.get();
    }
}
