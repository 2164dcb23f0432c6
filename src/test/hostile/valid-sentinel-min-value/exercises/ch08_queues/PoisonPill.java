package ch08_queues;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A correct transfer whose sentinel is Long.MIN_VALUE, written without looking at the solution. */
public class PoisonPill {

    private static final long END = Long.MIN_VALUE; // never one of 0..count-1

    public static TransferResult transfer(int count) throws InterruptedException {
        return transfer(count, new LinkedBlockingQueue<>(256));
    }

    public static TransferResult transfer(int count, BlockingQueue<Long> channel) throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("negative count: " + count);
        }
        if (channel == null) {
            throw new NullPointerException("channel is null");
        }
        long start = System.nanoTime();
        TransferResult[] seen = new TransferResult[1];
        Thread writer = new Thread(() -> {
            try {
                for (long n = 0; n < count; n++) {
                    channel.put(n);
                }
                channel.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread reader = new Thread(() -> {
            long received = 0;
            long sum = 0;
            try {
                while (true) {
                    long n = channel.take();
                    if (n == END) {
                        break;
                    }
                    received++;
                    sum += n;
                }
                seen[0] = new TransferResult(received, sum, Duration.ofNanos(System.nanoTime() - start));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        reader.start();
        writer.join();
        reader.join(); // seen[0] is safe to read after join
        return seen[0];
    }
}
