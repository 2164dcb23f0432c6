package ch06_cpu;

import java.util.List;

/**
 * Exercise 18: the sources' CPU-bound sums, computed by threads of your own at the same time.
 * See README.md in this folder.
 */
public class ThreadSums {

    /**
     * {@link SumOfSquares#of} of every number, computed by {@code threads} threads that this call
     * starts (a fixed pool, or threads of your own) and that all run at the same time, each taking a
     * fair part of the numbers.
     *
     * @return the sums, in the order of {@code numbers}, whatever order they are computed in
     * @throws NullPointerException if {@code numbers} or one of its numbers is null
     * @throws IllegalArgumentException if {@code threads} is less than 1
     *     <p>No thread it started is left when it returns: its pool is shut down ({@code close()}, as
     *     try-with-resources calls it, also waits for the threads to end; {@code shutdown()} alone does not).
     */
    public static List<Long> compute(List<Long> numbers, int threads) {
        throw new UnsupportedOperationException("TODO: submit one task per number to a fixed pool of threads, read the futures in input order, shut the pool down");
    }
}
