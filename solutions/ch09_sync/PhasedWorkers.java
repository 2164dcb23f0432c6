package ch09_sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One thread per worker and one CyclicBarrier, reused for every phase: it trips when all
 * workers have arrived, then waits for the next round. {@code failure} is set at most once;
 * each worker reads it after the barrier, where every worker's step of that phase is done.
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
        CyclicBarrier barrier = new CyclicBarrier(workers);
        AtomicReference<Exception> failure = new AtomicReference<>();
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
                        if (failure.get() != null) {
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
