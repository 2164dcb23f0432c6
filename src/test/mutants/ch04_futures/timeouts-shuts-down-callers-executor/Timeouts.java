// Mutant: withTimeout shuts down the executor it was given, which belongs to the caller.
package ch04_futures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Timeouts {

    public static <T> Optional<T> withTimeout(Callable<T> task, Duration timeout, ExecutorService executor) {
        Objects.requireNonNull(task, "task");
        checkTimeout(timeout);
        Objects.requireNonNull(executor, "executor");
        Future<T> future = executor.submit(task);
        try {
            return Optional.ofNullable(future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException tooLate) {
            return Optional.empty();
        } catch (ExecutionException failed) {
            throw new CompletionException(failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the task");
        } finally {
            future.cancel(true);
            executor.shutdown();
        }
    }

    public static <T> T firstSuccessful(List<Callable<T>> tasks, Duration timeout) {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks must not be empty");
        }
        tasks.forEach(task -> Objects.requireNonNull(task, "tasks must not contain null"));
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        List<Future<T>> futures = new ArrayList<>();
        try {
            CompletionService<T> finished = new ExecutorCompletionService<>(pool);
            tasks.forEach(task -> futures.add(finished.submit(task)));
            Throwable[] causes = new Throwable[tasks.size()];
            for (int done = 0; done < tasks.size(); done++) {
                Future<T> next = finished.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new CompletionException(new TimeoutException("no task succeeded within " + timeout));
                }
                try {
                    return next.get();
                } catch (ExecutionException failed) {
                    causes[futures.indexOf(next)] = failed.getCause(); // keep it, wait for the others
                }
            }
            throw new AllFailedException(Arrays.asList(causes));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the tasks");
        } finally {
            futures.forEach(future -> future.cancel(true)); // the rest are not wanted any more
            pool.shutdownNow();
        }
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
    }
}
