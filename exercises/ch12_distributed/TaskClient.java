package ch12_distributed;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Exercise 34: the client of a task queue, like calling {@code task.delay(...)} in Celery: it
 * publishes named tasks to the work queue and gives a {@link CompletableFuture} of each result,
 * which the workers send back to a reply queue of this client's own. See README.md in this folder.
 *
 * <p>A task goes out as a {@link Task} ({@link Task#encode}) through the default exchange to the
 * work queue, persistent, its properties naming this client's reply queue ({@code replyTo}) and a
 * fresh {@code correlationId}; a worker's {@link Reply} ({@link Reply#decode}) comes back with that
 * correlation id. Thread-safe: any thread may submit.
 */
public class TaskClient implements AutoCloseable {

    /**
     * Connects to the broker, declares the work queue durable (not exclusive, not auto-deleted, no
     * arguments: as the workers declare it) and a reply queue of this client's own, and starts
     * consuming the replies: the reply consumer is there before any task goes out.
     *
     * @param broker the broker, e.g. {@code amqp://guest:guest@127.0.0.1:5672/}
     * @param queue the work queue's name
     * @param deadline how long a task may take, from its submission to its result
     * @throws IOException naming the broker's host and port if it cannot be reached, within 3 seconds
     *     also when something there takes the connection but never answers
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code queue} is blank or {@code deadline} is not positive
     */
    public TaskClient(URI broker, String queue, Duration deadline) throws IOException {
        throw new UnsupportedOperationException("TODO: connect (with timeouts), declare the work queue and a reply queue of your own, consume the replies");
    }

    /**
     * Publishes the task {@code name(args...)} and returns at once, without waiting for its result.
     * The future completes with the task's value when its reply comes; it fails with a
     * {@link TaskFailedException} carrying the worker's error when the task failed, and with a
     * {@link java.util.concurrent.TimeoutException} if no reply came within the deadline. Each
     * future completes once: a reply whose correlation id is unknown, or whose task already has its
     * result (the broker delivers at least once, so duplicates happen), is ignored.
     *
     * @throws IllegalArgumentException naming the task if there is no such task or it takes another
     *     number of arguments ({@link Tasks#check})
     * @throws NullPointerException if {@code name} or {@code args} is null
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<Long> submit(String name, long... args) {
        throw new UnsupportedOperationException("TODO: remember a future under a fresh correlation id, publish with replyTo, complete it from the reply consumer");
    }

    /**
     * Closes the connection: no thread of the client is left, and its reply queue is gone from the
     * broker. Futures still waiting fail at once with an {@link IllegalStateException}.
     */
    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("TODO: close the connection, fail the futures still waiting");
    }
}
