package ch06_cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One task per number on a fixed pool of {@code threads} threads: an idle thread takes the next
 * number, so the work stays shared evenly whatever the sizes. Nothing is shared between the tasks;
 * each hands its sum back through its future, read in input order, so the results keep the order
 * of the numbers whatever order they finish in. The pool is shut down before returning.
 */
public class ThreadSums {

    public static List<Long> compute(List<Long> numbers, int threads) {
        Objects.requireNonNull(numbers, "numbers");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        List<Long> input = new ArrayList<>(numbers);
        input.forEach(n -> Objects.requireNonNull(n, "numbers contains null"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> sums = new ArrayList<>();
            for (long n : input) {
                sums.add(pool.submit(() -> SumOfSquares.of(n)));
            }
            List<Long> results = new ArrayList<>();
            for (Future<Long> sum : sums) {
                results.add(sum.get());
            }
            return Collections.unmodifiableList(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while computing the sums");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sum failed", e.getCause()); // SumOfSquares.of throws nothing
        } finally {
            pool.shutdownNow();
        }
    }
}
