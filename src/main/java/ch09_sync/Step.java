package ch09_sync;

/** One worker's work in one phase of {@code PhasedWorkers.run}. */
@FunctionalInterface
public interface Step {

    /**
     * @param worker the worker, 0 .. workers - 1
     * @param phase the phase, 0 .. phases - 1
     */
    void run(int worker, int phase) throws Exception;
}
