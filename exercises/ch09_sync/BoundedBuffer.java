package ch09_sync;

/**
 * Exercise 24: a bounded buffer, the condition variable's classic: producers wait while it is
 * full, consumers while it is empty. Build it from one lock and two conditions ("not full",
 * "not empty"). See README.md in this folder.
 *
 * <p>Thread-safe: any number of producers and consumers may use it at once. Items come out in
 * the order they went in, each exactly once.
 *
 * @param <T> the items
 */
public class BoundedBuffer<T> {

    /**
     * An empty buffer that holds at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public BoundedBuffer(int capacity) {
        throw new UnsupportedOperationException("TODO: an array of capacity items, a ReentrantLock and two Conditions");
    }

    /**
     * Adds {@code item} at the end, waiting while the buffer is full (a thread that waits uses no
     * CPU). A thread woken up checks again: another one may have filled the room first.
     *
     * @throws InterruptedException if interrupted while waiting; the buffer is then unchanged
     * @throws NullPointerException if {@code item} is null
     */
    public void put(T item) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: lock; while full, await notFull; add; signal notEmpty; unlock");
    }

    /**
     * Removes and returns the first item, waiting while the buffer is empty. A thread woken up
     * checks again: another one may have taken the item first.
     *
     * @throws InterruptedException if interrupted while waiting; the buffer is then unchanged
     */
    public T take() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: lock; while empty, await notEmpty; remove; signal notFull; unlock");
    }

    /** How many items the buffer holds now. */
    public int size() {
        throw new UnsupportedOperationException("TODO: the count, read under the lock");
    }
}
