package ch08_queues;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two threads of its own per call: the writer puts the numbers and then the sentinel; the
 * reader takes until the sentinel. They share nothing but the channel (a BlockingQueue is
 * thread-safe); the reader's tally reaches the caller through join().
 */
public class PoisonPill {

    /** Not one of the numbers 0..count-1: the writer's last word. */
    private static final Long DONE = -1L;
    /** Enough to let the writer run ahead of the reader a little; bounded, so memory is too. */
    private static final int CAPACITY = 1024;

    public static TransferResult transfer(int count) throws InterruptedException {
        return transfer(count, new ArrayBlockingQueue<>(CAPACITY));
    }

    public static TransferResult transfer(int count, BlockingQueue<Long> channel) throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        Objects.requireNonNull(channel, "channel");
        AtomicReference<TransferResult> result = new AtomicReference<>();
        long start = System.nanoTime();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            try {
                for (long i = 0; i < count; i++) {
                    channel.put(i);
                }
                channel.put(DONE); // after the last number: everything before it has been sent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread reader = Thread.ofPlatform().name("reader").start(() -> {
            long received = 0;
            long sum = 0;
            try {
                for (Long n = channel.take(); !n.equals(DONE); n = channel.take()) { // equals: a Long is an object
                    received++;
                    sum += n;
                }
                result.set(new TransferResult(received, sum, Duration.ofNanos(System.nanoTime() - start)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            writer.join();
            reader.join();
        } finally {
            // Interrupted while waiting: stop both rather than leave them behind.
            writer.interrupt();
            reader.interrupt();
        }
        return result.get();
    }
}
