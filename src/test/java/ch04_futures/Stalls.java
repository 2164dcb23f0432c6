package ch04_futures;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that never finishes by itself: {@link #stall()} waits until its thread is interrupted
 * (or, so that a wrong solution cannot hang the run, until {@link #BOUND} has passed), and
 * counts what happened, for the test thread to read.
 */
final class Stalls {

    /** Far longer than any test waits for a cancellation. */
    static final Duration BOUND = Duration.ofSeconds(8);

    private final CountDownLatch never = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();

    /** Blocks until interrupted; then throws, as cancelled work does. Returns null only if never interrupted. */
    <T> T stall() {
        started.incrementAndGet();
        running.incrementAndGet();
        try {
            never.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted, as cancelled work should be");
        } finally {
            running.decrementAndGet();
        }
    }

    int started() {
        return started.get();
    }

    int running() {
        return running.get();
    }

    int interrupted() {
        return interrupted.get();
    }
}
