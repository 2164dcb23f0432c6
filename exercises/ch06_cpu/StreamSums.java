package ch06_cpu;

import java.util.List;

/**
 * Exercise 18: the same sums with a parallel stream, in one line.
 * See README.md in this folder.
 */
public class StreamSums {

    /**
     * {@link SumOfSquares#of} of every number, computed by a parallel stream: the common fork/join
     * pool's workers and the caller, at the same time.
     *
     * @return the sums, in the order of {@code numbers}
     * @throws NullPointerException if {@code numbers} or one of its numbers is null
     */
    public static List<Long> compute(List<Long> numbers) {
        throw new UnsupportedOperationException("TODO: a parallel stream that maps each number to SumOfSquares.of, collected in order");
    }
}
