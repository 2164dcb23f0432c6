package ch04_futures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A pool of its own per call, shut down before returning. Results are written by index, so
 * their order is the input's whatever order the tasks finish in; tasks are awaited as they
 * finish (a CompletionService), so a failure is seen at once, not after every item before it.
 */
public class ParallelMap {

    public static <T, R> List<R> map(List<T> items, Function<T, R> fn, int workers) {
        return map(items, fn, workers, 1);
    }

    public static <T, R> List<R> map(List<T> items, Function<T, R> fn, int workers, int chunkSize) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(fn, "fn");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
        List<T> input = new ArrayList<>(items);
        Object[] results = new Object[input.size()];
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<Void>> tasks = new ArrayList<>();
        try {
            CompletionService<Void> finished = new ExecutorCompletionService<>(pool);
            for (int start = 0; start < input.size(); start += chunkSize) {
                int from = start;
                int to = Math.min(input.size(), start + chunkSize);
                tasks.add(finished.submit(() -> {
                    for (int i = from; i < to; i++) {
                        try {
                            results[i] = fn.apply(input.get(i));
                        } catch (RuntimeException | Error failure) { // whatever fn throws is its failure
                            throw new ItemFailedException(i, failure);
                        }
                    }
                    return null;
                }));
            }
            for (int done = 0; done < tasks.size(); done++) {
                try {
                    finished.take().get();
                } catch (ExecutionException failed) {
                    throw failed.getCause() instanceof ItemFailedException item ? item
                            : new IllegalStateException("a task failed outside fn", failed.getCause());
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the items");
        } finally {
            tasks.forEach(task -> task.cancel(true)); // after a failure: stop the others
            pool.shutdownNow();
        }
        // Every task has finished (take() returned it), so all its writes to results are visible here.
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Collections.unmodifiableList(Arrays.asList(results));
        return list;
    }
}
