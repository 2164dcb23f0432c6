package ch12_distributed;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kit.Broker;

/**
 * The test's side of the worker tests: a client written with the bare AMQP library, so that the
 * worker is graded on its own. It publishes tasks to the work queue (persistent, with a reply
 * queue of its own and a fresh correlation id each) and keeps every reply that comes back, with
 * the moment it came.
 */
final class Requests implements AutoCloseable {

    /** A reply as it came back: to which request (its correlation id, possibly missing), and when. */
    record Answer(String correlationId, String body, long nanos) {

        Reply reply() {
            return Reply.decode(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request sent: what, and when. */
    record Sent(String id, String body, long nanos) {
    }

    private final Channel channel;
    private final String queue;
    private final String replyQueue;
    private final Map<String, Sent> sent = new LinkedHashMap<>(); // guarded by this
    private final List<Answer> answers = new ArrayList<>(); // guarded by this

    Requests(Broker broker, String queue) throws IOException {
        this.queue = queue;
        channel = broker.channel();
        replyQueue = channel.queueDeclare().getQueue();
        channel.basicConsume(replyQueue, true, (tag, delivery) -> received(delivery), tag -> { });
    }

    private void received(Delivery delivery) {
        Answer answer = new Answer(delivery.getProperties().getCorrelationId(),
                new String(delivery.getBody(), StandardCharsets.UTF_8), System.nanoTime());
        synchronized (this) {
            answers.add(answer);
            notifyAll();
        }
    }

    /** Publishes a task; returns its correlation id. */
    String send(Task task) throws IOException {
        return sendBody(new String(task.encode(), StandardCharsets.UTF_8));
    }

    /** Publishes a message body as it is, task or not; returns its correlation id. */
    String sendBody(String body) throws IOException {
        String id = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .replyTo(replyQueue).correlationId(id).deliveryMode(2).contentType("text/plain").build();
        synchronized (this) {
            sent.put(id, new Sent(id, body, System.nanoTime()));
        }
        channel.basicPublish("", queue, properties, body.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    synchronized Sent sent(String id) {
        return sent.get(id);
    }

    /** The replies to the request with this correlation id, in the order they came. */
    synchronized List<Answer> answersTo(String id) {
        return answers.stream().filter(a -> id.equals(a.correlationId())).toList();
    }

    /** Replies whose correlation id is none of the requests'. */
    synchronized List<Answer> strays() {
        return answers.stream().filter(a -> a.correlationId() == null || !sent.containsKey(a.correlationId())).toList();
    }

    /** Waits at most {@code bound} until each of {@code ids} has a reply; the ids still without one. */
    synchronized List<String> awaitAll(Collection<String> ids, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<String> missing = ids.stream().filter(id -> answers.stream().noneMatch(a -> id.equals(a.correlationId())))
                    .toList();
            long left = deadline - System.nanoTime();
            if (missing.isEmpty() || left <= 0) {
                return missing;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }
}
