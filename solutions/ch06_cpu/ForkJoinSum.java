package ch06_cpu;

import java.util.concurrent.RecursiveTask;

/**
 * Divide and conquer: a range longer than the threshold is split in two halves; the left half is
 * forked (a pool worker may steal it) while this thread computes the right one, then the left is
 * joined. Each task reads only its own final fields and returns its sum: nothing is shared.
 */
public class ForkJoinSum extends RecursiveTask<Long> {

    private final long from;
    private final long to;
    private final long threshold;

    public ForkJoinSum(long from, long to, long threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
        }
        this.from = from;
        this.to = to;
        this.threshold = threshold;
    }

    public static long of(long n, long threshold) {
        return new ForkJoinSum(0, n, threshold).invoke();
    }

    @Override
    protected Long compute() {
        if (to - from <= threshold) {
            return SumOfSquares.range(from, to);
        }
        long middle = from + (to - from) / 2;
        ForkJoinSum left = new ForkJoinSum(from, middle, threshold);
        ForkJoinSum right = new ForkJoinSum(middle, to, threshold);
        left.fork();
        long rightSum = right.compute();
        return left.join() + rightSum;
    }
}
