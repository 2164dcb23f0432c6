package ch12_distributed;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of the task queue. Thread-safe.
 *
 * <p>Locking policy: the futures still waiting are in {@code pending}, a concurrent map keyed by
 * correlation id. Whoever removes an entry (a reply on the client library's consumer thread, the
 * deadline on the delayed executor's thread, or {@code close()}) completes its future, so each
 * future completes exactly once and a duplicate or late reply finds nothing. Publishing on the
 * shared channel is guarded by {@code publishLock}; {@code closed} is volatile.
 */
public class TaskClient implements AutoCloseable {

    /** How long connecting may take: the library waits 5 s by default for the broker's first word, 60 s to connect. */
    private static final int TIMEOUT_MILLIS = 2_000;

    private record Pending(Task task, CompletableFuture<Long> result) {
    }

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final String replyQueue;
    private final Duration deadline;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();
    private volatile boolean closed;

    public TaskClient(URI broker, String queue, Duration deadline) throws IOException {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(deadline, "deadline");
        if (queue.isBlank()) {
            throw new IllegalArgumentException("queue must not be blank");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
        this.queue = queue;
        this.deadline = deadline;
        connection = connect(broker);
        try {
            channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null); // as the workers declare it
            // This client's own queue: named by the broker, exclusive to this connection, gone with it.
            replyQueue = channel.queueDeclare().getQueue();
            channel.basicConsume(replyQueue, true, (tag, delivery) -> onReply(delivery), tag -> { });
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw e;
        }
    }

    public CompletableFuture<Long> submit(String name, long... args) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(args, "args");
        Tasks.check(name, args.length);
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        Task task = Task.of(name, args);
        String id = UUID.randomUUID().toString();
        CompletableFuture<Long> result = new CompletableFuture<>();
        pending.put(id, new Pending(task, result));
        CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS).execute(() -> expire(id));
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .replyTo(replyQueue).correlationId(id).deliveryMode(2).contentType("text/plain").build();
        try {
            synchronized (publishLock) {
                channel.basicPublish("", queue, properties, task.encode());
            }
        } catch (IOException | AlreadyClosedException e) {
            pending.remove(id);
            if (closed) {
                throw new IllegalStateException("the client is closed", e);
            }
            throw new UncheckedIOException(new IOException("cannot publish " + task + ": " + e, e));
        }
        return result;
    }

    /** On the client library's consumer thread, one reply at a time. */
    private void onReply(Delivery delivery) {
        String id = delivery.getProperties().getCorrelationId();
        Pending waiting = id == null ? null : pending.remove(id);
        if (waiting == null) {
            return; // unknown, or already completed (a duplicate, or after the deadline): at least once means duplicates
        }
        Reply reply;
        try {
            reply = Reply.decode(delivery.getBody());
        } catch (IllegalArgumentException notAReply) {
            waiting.result().completeExceptionally(notAReply);
            return;
        }
        if (reply.failed()) {
            waiting.result().completeExceptionally(new TaskFailedException(waiting.task().toString(), reply.error()));
        } else {
            waiting.result().complete(reply.value());
        }
    }

    private void expire(String id) {
        Pending waiting = pending.remove(id);
        if (waiting != null) {
            waiting.result().completeExceptionally(new TimeoutException(waiting.task() + " had no result within " + deadline));
        }
    }

    static Connection connect(URI broker) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(broker);
        } catch (Exception e) {
            throw new IllegalArgumentException("broker is not an AMQP URI: " + broker, e);
        }
        factory.setConnectionTimeout(TIMEOUT_MILLIS);
        factory.setHandshakeTimeout(TIMEOUT_MILLIS);
        try {
            return factory.newConnection();
        } catch (IOException | TimeoutException e) {
            throw new IOException("cannot connect to the broker at " + broker.getHost() + ":" + factory.getPort() + ": " + e, e);
        }
    }

    /** Closes the connection (its reply queue goes with it); futures still waiting fail. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            connection.close();
        } catch (AlreadyClosedException e) {
            // closed already
        } finally {
            for (String id : pending.keySet()) {
                Pending waiting = pending.remove(id);
                if (waiting != null) {
                    waiting.result().completeExceptionally(new IllegalStateException("the client was closed before "
                            + waiting.task() + " had a result"));
                }
            }
        }
    }
}
