package ch03_races;

import java.util.concurrent.locks.ReentrantLock;

/** Thread-safe: every access to {@code value} holds {@code lock}. */
public class LockedCounter implements Counter {

    private final ReentrantLock lock = new ReentrantLock();
    private long value; // guarded by lock

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
        // Taking the lock to read is what makes the last increment visible to this thread.
        lock.lock();
        try {
            return value;
        } finally {
            lock.unlock();
        }
    }
}
