package kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kit.grading.KitExtension;

/**
 * Runs test code on several threads at once and brings whatever they throw back to the test
 * thread: an assertion failing on a worker fails the test, it is not lost on the worker.
 */
public final class Threads {

    /** The body one racing thread runs; {@code index} is 0 .. threads-1. */
    @FunctionalInterface
    public interface Body {
        void run(int index) throws Exception;
    }

    private Threads() {
    }

    /** Thread names the kit's own workers carry, so that leak checks and reports can tell them apart. */
    public static final String PREFIX = "racer-";

    /**
     * Starts {@code threads} threads that all begin {@code body} at the same moment, waits for all
     * of them at most {@code bound}, and rethrows the first failure (the others suppressed). If
     * they are not done in time, fails with what the threads are doing, deadlocks named, and
     * interrupts them.
     */
    public static Duration race(int threads, Duration bound, Body body) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(index);
                } catch (Throwable t) {
                    if (!failure.compareAndSet(null, t)) {
                        failure.get().addSuppressed(t);
                    }
                }
            }, PREFIX + i);
            worker.setDaemon(true); // a deadlocked racer must not keep the JVM alive
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        long deadline = start + bound.toNanos();
        // A deadlock never ends by itself: report it as soon as it forms instead of at the bound.
        Thread alive;
        while ((alive = workers.stream().filter(Thread::isAlive).findFirst().orElse(null)) != null
                && System.nanoTime() < deadline && ThreadReport.deadlocks(workers).isEmpty()) {
            alive.join(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Set<Thread> stuck = new HashSet<>();
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                stuck.add(worker);
            }
        }
        if (!stuck.isEmpty()) {
            String deadlocks = ThreadReport.deadlocks(workers);
            String report = deadlocks.isEmpty() ? ThreadReport.describe(stuck) : deadlocks;
            stuck.forEach(Thread::interrupt);
            KitExtension.requestFreshJvm(); // stuck threads stay stuck; the next tests get a clean JVM
            throw new AssertionError(stuck.size() + " of " + threads + " threads were not done after "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + report);
        }
        Throwable first = failure.get();
        if (first instanceof Error error) {
            throw error;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first != null) {
            throw new AssertionError("a racing thread failed: " + first, first);
        }
        return elapsed;
    }
}
