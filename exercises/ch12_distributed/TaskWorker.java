package ch12_distributed;

import java.io.IOException;
import java.net.URI;

/**
 * Exercise 33: a worker of a task queue, like a Celery worker: it takes tasks from a work queue on
 * the broker one at a time, runs each with {@link Tasks#run}, sends the result back to the queue
 * the task names, and only then acknowledges the task. The tests run it in processes of its own
 * ({@code WorkerMain}) and kill one in the middle of a task. See README.md in this folder.
 *
 * <p>Each message on the work queue is a {@link Task} ({@link Task#decode}); its properties name
 * the reply queue ({@code replyTo}) and a {@code correlationId}. Send back a {@link Reply}
 * ({@link Reply#encode}) to that queue through the default exchange, with the same
 * {@code correlationId}.
 */
public class TaskWorker implements AutoCloseable {

    /**
     * Connects to the broker and starts consuming from {@code queue}, which it declares durable (not
     * exclusive, not auto-deleted, no arguments: as the client declares it). Returns once consuming.
     * From then on, on the client library's threads, for each task:
     * <ul>
     *   <li>it has at most one task at a time that it has not acknowledged (a prefetch of 1, set before
     *       it starts consuming: RabbitMQ applies a prefetch only to the consumers started after it), so
     *       that the broker gives each task to a worker that is free;</li>
     *   <li>it runs the task, publishes the reply, and only then acknowledges the task (manual acks),
     *       so that a worker that dies in the middle of a task loses nothing: the broker gives the
     *       task to another worker;</li>
     *   <li>a task that throws (an unknown name, a wrong number of arguments, a division by zero, a
     *       message that is no task) comes back as {@link Reply#failure} carrying the exception's
     *       message, and the worker goes on with the next task.</li>
     * </ul>
     *
     * @param broker the broker, e.g. {@code amqp://guest:guest@127.0.0.1:5672/}
     * @param queue the work queue's name
     * @throws IOException naming the broker's host and port if it cannot be reached, within 3 seconds
     *     also when something there takes the connection but never answers
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code queue} is blank
     */
    public TaskWorker(URI broker, String queue) throws IOException {
        throw new UnsupportedOperationException("TODO: connect (with timeouts), declare the queue, basicQos(1), basicConsume with manual acks");
    }

    /** Stops consuming and closes the connection: no thread of the worker is left. */
    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("TODO: close the connection");
    }
}
