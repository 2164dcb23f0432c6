package ch08_queues;

import java.util.List;
import java.util.function.Function;

/**
 * Exercise 22: a pool of worker threads that take tasks from one queue, like the sources'
 * worker processes pulling from a JoinableQueue; {@link #awaitAll()} is the queue's join(),
 * {@link #shutdown()} sends one poison pill per worker. See README.md in this folder.
 *
 * <p>Tasks may be submitted and awaited from any thread.
 *
 * @param <T> the tasks
 * @param <R> what {@code fn} makes of a task
 */
public class WorkerPool<T, R> {

    /**
     * Starts {@code workers} worker threads at once. Each takes the next task from one shared
     * queue, applies {@code fn} to it, keeps the result, and goes on; a worker with nothing to do
     * waits in a blocking {@code take()} and uses no CPU.
     *
     * @throws IllegalArgumentException if {@code workers} is below 1
     * @throws NullPointerException if {@code fn} is null
     */
    public WorkerPool(int workers, Function<T, R> fn) {
        throw new UnsupportedOperationException("TODO: a BlockingQueue of tasks, and that many threads that take() from it");
    }

    /**
     * Queues a task; returns at once. {@code fn} is applied to it exactly once, on a worker.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException after {@link #shutdown()}
     */
    public void submit(T task) {
        throw new UnsupportedOperationException("TODO: put the task on the queue and count it as unfinished");
    }

    /**
     * Waits until every task submitted so far has finished: {@code fn} has returned, or thrown,
     * for it. Not when the queue is empty: a task a worker has taken may still be running.
     *
     * @throws java.util.concurrent.CompletionException once they have all finished, if {@code fn}
     *     threw for any of them since the last awaitAll: the first such exception is the cause,
     *     each later one suppressed. A task that threw is not run again, and its worker goes on
     *     with the next task.
     */
    public void awaitAll() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: wait on a condition until no task is unfinished (count down in a finally)");
    }

    /** The results of the tasks finished so far, one per task for which {@code fn} returned, in the order they finished. */
    public List<R> results() {
        throw new UnsupportedOperationException("TODO: a copy of the results kept so far");
    }

    /**
     * Lets every task submitted before it finish, then ends the workers: one poison pill per
     * worker, queued after the tasks. Returns once every worker thread has ended. Calling it
     * again does nothing.
     */
    public void shutdown() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: put one pill per worker after the tasks, then join every worker");
    }
}
