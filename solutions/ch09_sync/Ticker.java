package ch09_sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One single-thread scheduler per ticker, ticking at a fixed rate. {@code this} guards
 * {@code scheduler} and {@code stopped}; {@code ticks} is touched only by the ticker's thread
 * (one thread, ticks never overlap); {@code thread} is written by the thread factory before the
 * thread starts, and read by stop() after start() made it (under the lock).
 */
public class Ticker implements AutoCloseable {

    private final long periodNanos;
    private final LongConsumer onTick;
    private ScheduledExecutorService scheduler; // guarded by this
    private boolean stopped; // guarded by this
    private Thread thread; // guarded by this
    private long ticks; // the ticker thread's

    public Ticker(Duration period, LongConsumer onTick) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        this.periodNanos = period.toNanos();
        this.onTick = Objects.requireNonNull(onTick, "onTick");
    }

    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("the ticker was started before");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread ticker = Thread.ofPlatform().name("ticker").unstarted(task);
            synchronized (this) {
                thread = ticker;
            }
            return ticker;
        });
        // Fixed rate: tick n is due at n periods, however long the ticks before it took.
        scheduler.scheduleAtFixedRate(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        try {
            onTick.accept(++ticks);
        } catch (RuntimeException failure) {
            // Escaping, it would cancel every later tick without a word.
            System.err.println("Ticker: tick " + ticks + " failed: " + failure);
        }
    }

    public void stop() {
        ScheduledExecutorService running;
        Thread ticker;
        synchronized (this) {
            if (scheduler == null || stopped) {
                return;
            }
            stopped = true;
            running = scheduler;
            ticker = thread;
        }
        running.shutdown(); // no new tick; the one under way (if any) finishes
        if (Thread.currentThread() == ticker) {
            return; // called from onTick: the thread ends once this tick returns
        }
        try {
            running.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
