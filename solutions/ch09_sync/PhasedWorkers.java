package ch09_sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One thread per worker and one CyclicBarrier, reused for every phase: it trips when all
 * workers have arrived, then waits for the next round. {@code failure} is set at most once;
 * {@code stop} is decided by the barrier action from it, while every worker waits, so all the
 * workers of a phase agree whether to go on.
 */
public class PhasedWorkers {

    public static void run(int workers, int phases, Step step) throws InterruptedException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (phases < 0) {
            throw new IllegalArgumentException("phases must not be negative, was " + phases);
        }
        Objects.requireNonNull(step, "step");
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        // The barrier action runs once all have arrived, before any is let go: every worker of a
        // phase sees the same verdict, whenever it wakes up.
        CyclicBarrier barrier = new CyclicBarrier(workers, () -> stop.set(failure.get() != null));
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                try {
                    for (int phase = 0; phase < phases; phase++) {
                        try {
                            step.run(worker, phase);
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                        barrier.await(); // arrive even after a failure: the others are waiting for us
                        if (stop.get()) {
                            return; // nobody begins the next phase
                        }
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    barrier.reset(); // breaks the barrier for whoever waits at it
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new CompletionException(failure.get());
        }
    }
}
