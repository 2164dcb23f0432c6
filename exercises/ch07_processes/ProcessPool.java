package ch07_processes;

import java.util.List;

/**
 * Exercise 19: a pool of worker processes, Python's {@code multiprocessing.Pool} for Java.
 * See README.md in this folder.
 */
public class ProcessPool {

    /**
     * @param processes the most worker JVMs a call of {@link #map} runs at once
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    public ProcessPool(int processes) {
        throw new UnsupportedOperationException("TODO: check and keep processes");
    }

    /**
     * Computes {@link ch06_cpu.SumOfSquares#of} of every number in worker JVMs ({@link Worker}),
     * started by this call with {@link Worker#command()}: at most {@code processes} of them, each
     * used for many numbers (a JVM takes far longer to start than most sums), all computing at the
     * same time.
     *
     * @return one result per number, in the order of {@code numbers}
     * @throws NullPointerException if {@code numbers} or one of its numbers is null
     * @throws WorkerDiedException if a worker ends before answering (it crashed, or was killed),
     *     naming the number it had been given; the numbers are not retried
     *     <p>Every worker has exited when this method returns or throws, and every thread it started
     *     has ended.
     */
    public List<WorkResult> map(List<Long> numbers) {
        throw new UnsupportedOperationException("TODO: start the workers, give each a thread that feeds it numbers and reads its answers, then close their inputs and wait for them");
    }
}
