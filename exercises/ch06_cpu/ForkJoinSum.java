package ch06_cpu;

import java.util.concurrent.RecursiveTask;

/**
 * Exercise 18: one big sum, divided and conquered on a fork/join pool.
 * See README.md in this folder.
 *
 * <p>The task sums {@code i * i} for {@code from <= i < to} (0 when {@code to <= from}), in
 * {@code long} arithmetic like {@link SumOfSquares#range}. A range of at most {@code threshold}
 * numbers is summed directly; a longer one is split into two halves that run at the same time
 * (fork one, compute the other, then join), and their sums are added.
 */
public class ForkJoinSum extends RecursiveTask<Long> {

    /**
     * @throws IllegalArgumentException if {@code threshold} is less than 1
     */
    public ForkJoinSum(long from, long to, long threshold) {
        throw new UnsupportedOperationException("TODO: check the threshold, keep the range and the threshold");
    }

    /**
     * {@link SumOfSquares#of SumOfSquares.of(n)}, computed by a {@code ForkJoinSum} over 0 to n,
     * invoked in the fork/join pool (the common one when the caller is not in a pool).
     *
     * @throws IllegalArgumentException if {@code threshold} is less than 1
     */
    public static long of(long n, long threshold) {
        throw new UnsupportedOperationException("TODO: invoke() a ForkJoinSum over 0 to n");
    }

    @Override
    protected Long compute() {
        throw new UnsupportedOperationException("TODO: sum a short range directly; split a long one, fork the left half, compute the right, join the left");
    }
}
