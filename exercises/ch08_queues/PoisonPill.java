package ch08_queues;

import java.util.concurrent.BlockingQueue;

/**
 * Exercise 21: a writer thread sends numbers through a queue to a reader thread, then a
 * sentinel (a "poison pill") that tells the reader there is nothing more: the source's
 * writer and reader with "DONE". See README.md in this folder.
 */
public class PoisonPill {

    /** {@link #transfer(int, BlockingQueue)} through a bounded queue of this method's own. */
    public static TransferResult transfer(int count) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: transfer(count, new ArrayBlockingQueue<>(...))");
    }

    /**
     * Sends the numbers 0, 1, ..., count - 1 through {@code channel} from a writer thread of its
     * own, in that order with {@code put}, then one sentinel: a value that is not one of the
     * numbers (-1, say), sent by the writer after its last number. A reader on another thread
     * takes from the channel until it takes the sentinel, counting and adding up the numbers.
     * The reader waits in a blocking {@code take()} for what is not there yet: it stops at the
     * sentinel, never because the channel is empty for a moment, and it uses no CPU while it waits.
     *
     * <p>Returns once the reader has taken the sentinel and both threads have ended; the channel
     * is then empty.
     *
     * @return what the reader counted, and the time from starting the writer to the sentinel
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws NullPointerException if {@code channel} is null
     */
    public static TransferResult transfer(int count, BlockingQueue<Long> channel) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: a writer thread put()s 0..count-1 then a sentinel; a reader take()s until the sentinel");
    }
}
