package ch09_sync;

/**
 * Exercise 25: workers that go through phases in step, a barrier between one phase and the
 * next: nobody begins phase p + 1 before everybody has finished phase p. See README.md in this
 * folder.
 */
public class PhasedWorkers {

    /**
     * Runs {@code workers} threads of its own; worker w calls {@code step.run(w, p)} for
     * p = 0, 1, ..., phases - 1. No worker begins a phase before every worker has finished the
     * phase before it (a {@code CyclicBarrier} of {@code workers} parties, awaited after each
     * phase). Returns once every worker has finished and its thread has ended.
     *
     * <p>If a step throws, no worker begins any later phase: every worker still arrives at the
     * barrier after its step, sees the failure there and ends, so nobody waits for ever.
     *
     * @throws java.util.concurrent.CompletionException once every worker thread has ended, if a
     *     step threw: the first such exception is the cause
     * @throws IllegalArgumentException if {@code workers} is below 1 or {@code phases} negative
     * @throws NullPointerException if {@code step} is null
     */
    public static void run(int workers, int phases, Step step) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: one thread per worker; after each phase, await a CyclicBarrier of workers parties");
    }
}
