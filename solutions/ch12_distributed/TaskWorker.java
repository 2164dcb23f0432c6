package ch12_distributed;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * One worker: a connection and a channel of its own. The client library calls {@link #handle} on
 * its consumer thread, one delivery at a time for this channel, so a task, its reply and its ack
 * happen in that order on one thread; with a prefetch of 1 the broker sends the next task only
 * after the ack. Nothing is shared with other threads but the channel, which the library guards.
 */
public class TaskWorker implements AutoCloseable {

    /** How long connecting may take: the library waits 5 s by default for the broker's first word, 60 s to connect. */
    private static final int TIMEOUT_MILLIS = 2_000;

    private final Connection connection;
    private final Channel channel;

    public TaskWorker(URI broker, String queue) throws IOException {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(queue, "queue");
        if (queue.isBlank()) {
            throw new IllegalArgumentException("queue must not be blank");
        }
        connection = connect(broker);
        try {
            channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null); // durable, shared, kept: as every client declares it
            channel.basicQos(1); // at most one unacked task: the next goes to whichever worker is free
            channel.basicConsume(queue, false, (tag, delivery) -> handle(delivery), tag -> { });
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw e;
        }
    }

    private void handle(Delivery delivery) throws IOException {
        Reply reply;
        try {
            reply = Reply.success(Tasks.run(Task.decode(delivery.getBody())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing: no ack, so the broker gives the task to another worker
        } catch (RuntimeException e) {
            // A task's failure is its result. Thrown from here it would make the library close the channel.
            reply = Reply.failure(e.getMessage() != null ? e.getMessage() : e.toString());
        }
        AMQP.BasicProperties request = delivery.getProperties();
        if (request.getReplyTo() != null) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .correlationId(request.getCorrelationId()).contentType("text/plain").build();
            channel.basicPublish("", request.getReplyTo(), properties, reply.encode());
        }
        // Only now: if this worker dies before this line, the broker still holds the task and redelivers it.
        channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
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

    /** Stops consuming and closes the connection (and the channel with it); a task in progress is not acked. */
    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (AlreadyClosedException e) {
            // closed already: nothing left to free
        }
    }
}
