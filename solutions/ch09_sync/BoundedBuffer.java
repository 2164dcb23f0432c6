package ch09_sync;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A ring of {@code capacity} slots. {@code lock} guards {@code items}, {@code head} and
 * {@code count}. Producers wait on {@code notFull}, consumers on {@code notEmpty}: two
 * conditions, so a signal always wakes a thread that can use it, and signal() (one thread) is
 * enough. Every wait is in a loop: a woken thread may find another one was there first.
 */
public class BoundedBuffer<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final Object[] items; // guarded by lock
    private int head; // guarded by lock: the slot of the first item
    private int count; // guarded by lock

    public BoundedBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        items = new Object[capacity];
    }

    public void put(T item) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            while (count == items.length) {
                notFull.await();
            }
            items[(head + count) % items.length] = item;
            count++;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    public T take() throws InterruptedException {
        lock.lock();
        try {
            while (count == 0) {
                notEmpty.await();
            }
            @SuppressWarnings("unchecked")
            T item = (T) items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            count--;
            notFull.signal();
            return item;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
