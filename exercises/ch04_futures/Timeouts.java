package ch04_futures;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * Exercise 13: giving up on work, and racing work against itself. Failures come out unchecked,
 * as {@code CompletableFuture.join()} reports them: a CompletionException around the cause; if
 * the calling thread is interrupted while waiting, it keeps its interrupt flag and gets a
 * {@code CancellationException}.
 * See README.md in this folder.
 */
public class Timeouts {

    /**
     * Runs {@code task} on {@code executor} and waits at most {@code timeout} for it.
     *
     * @return its result, or empty if it was not done in time; then it has been cancelled with an
     *     interrupt, so it can stop. {@code executor} is the caller's: leave it running.
     * @throws java.util.concurrent.CompletionException with the task's exception as the cause, if it
     *     failed in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException if an argument is null
     */
    public static <T> Optional<T> withTimeout(Callable<T> task, Duration timeout, ExecutorService executor) {
        throw new UnsupportedOperationException("TODO: submit, get(timeout), and cancel(true) when it is too late");
    }

    /**
     * Runs every task at once, on threads of its own, and returns the first successful result;
     * a task that fails is skipped. The tasks still running then are cancelled with an interrupt,
     * and no thread is left when this returns.
     *
     * @throws AllFailedException if every task failed, carrying each task's exception in task order
     * @throws java.util.concurrent.CompletionException with a {@link java.util.concurrent.TimeoutException}
     *     as its cause, if no task succeeded within {@code timeout}; every task is cancelled
     * @throws IllegalArgumentException if {@code tasks} is empty or {@code timeout} negative
     * @throws NullPointerException if an argument is null or {@code tasks} contains null
     */
    public static <T> T firstSuccessful(List<Callable<T>> tasks, Duration timeout) {
        throw new UnsupportedOperationException("TODO: a CompletionService: poll() each finished task until one succeeds");
    }
}
