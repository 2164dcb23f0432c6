// Mutant: lock only increment(); get() reads value without the lock and without volatile.
package ch03_races;

import java.util.concurrent.locks.ReentrantLock;

public class LockedCounter implements Counter {

    private final ReentrantLock lock = new ReentrantLock();
    private long value;

    @Override
    public void increment() {
        lock.lock();
        try {
            value++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long get() {
        return value;
    }
}
