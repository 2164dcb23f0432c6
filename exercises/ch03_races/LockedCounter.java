package ch03_races;

/**
 * Exercise 7: a counter that many threads can share.
 *
 * <p>As given, this is the racy counter: {@code value++} from two threads can lose an update,
 * and a thread reading {@link #get()} may never see another thread's increments. Make it
 * thread-safe with a lock: every read and every write of {@code value} under the same lock.
 * See README.md in this folder.
 */
public class LockedCounter implements Counter {

    private long value; // TODO: guard with a lock

    @Override
    public void increment() {
        value++; // TODO: a read, an add and a write: make them one step under the lock
    }

    @Override
    public long get() {
        return value; // TODO: read under the same lock, or the reader may never see new values
    }
}
