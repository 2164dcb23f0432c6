package ch12_distributed;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import kit.Broker;

/**
 * The workers of the client tests: consumers in the test JVM, on the test's own connection, that
 * answer as the protocol says (the reply to the task's replyTo queue with its correlation id, then
 * the ack) and can misbehave on purpose in the ways a real queue does: a reply twice, a reply for
 * no task of this client first, a reply late or never, replies in another order than the tasks
 * came. They watch what the client does where it shows: which tasks arrive, naming which reply
 * queue, and how many are in their hands at once.
 *
 * <p>Each worker has its own channel; each task is worked on a virtual thread of its own, so that
 * a slow task never holds up the library's delivery threads.
 */
final class FakeWorkers implements AutoCloseable {

    /** A task as it reached a worker: with its reply queue, correlation id and delivery mode (2: persistent). */
    record Received(Task task, String replyTo, String correlationId, Integer deliveryMode, long nanos) {
    }

    /** How the workers answer; set before the client submits. */
    static final class Behaviour {
        /** Replies sent for each task (2: a duplicate, as a redelivery after a lost ack gives). */
        volatile int copies = 1;
        /** Before each reply, one with a correlation id no client ever made. */
        volatile boolean strayFirst;
        /**
         * The pause between the stray reply and the real one: long enough for a client whose consumer the
         * stray broke to have its channel closed before the real reply comes (the client library still
         * runs the deliveries it already had in hand).
         */
        volatile Duration strayGap = Duration.ZERO;
        /** Tasks that get no reply at all (they are acked: nothing redelivers them). */
        volatile Predicate<Task> never = task -> false;
        /** Tasks whose reply comes only {@link #lateBy} after the task arrived. */
        volatile Predicate<Task> late = task -> false;
        volatile Duration lateBy = Duration.ZERO;
        /** If positive: keep the tasks until this many have come, then answer them newest first. */
        volatile int holdFor;
    }

    final Behaviour behaviour = new Behaviour();

    private final String queue;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> repliesSent = new CopyOnWriteArrayList<>();
    private final List<Runnable> held = new ArrayList<>(); // guarded by itself
    private final AtomicInteger inHand = new AtomicInteger();
    private final AtomicInteger mostInHand = new AtomicInteger();

    /**
     * {@code count} workers on {@code queue}, each taking at most {@code prefetch} unacked tasks at a
     * time (0: no limit, for a worker that holds many).
     */
    FakeWorkers(Broker broker, String queue, int count, int prefetch) throws IOException {
        this.queue = queue;
        for (int i = 0; i < count; i++) {
            Channel channel = broker.channel();
            channel.basicQos(prefetch);
            channel.basicConsume(queue, false, (tag, delivery) -> Thread.ofVirtual().start(() -> work(channel, delivery)),
                    tag -> { });
            channels.add(channel);
        }
    }

    private void work(Channel channel, Delivery delivery) {
        long arrived = System.nanoTime();
        int now = inHand.incrementAndGet();
        mostInHand.accumulateAndGet(now, Math::max);
        AMQP.BasicProperties request = delivery.getProperties();
        Task task;
        Reply reply;
        try {
            task = Task.decode(delivery.getBody());
            received.add(new Received(task, request.getReplyTo(), request.getCorrelationId(), request.getDeliveryMode(),
                    arrived));
            reply = Reply.success(Tasks.run(task));
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            task = null;
            reply = Reply.failure(e.getMessage() != null ? e.getMessage() : e.toString());
        }
        Task done = task;
        Reply answer = reply;
        Runnable respond = () -> {
            inHand.decrementAndGet();
            if (done == null || !behaviour.never.test(done)) {
                if (done != null && behaviour.late.test(done)) {
                    try {
                        Thread.sleep(behaviour.lateBy.toMillis()); // a virtual thread: it holds nothing up
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                for (int copy = 0; copy < behaviour.copies; copy++) {
                    if (behaviour.strayFirst) {
                        send(channel, request.getReplyTo(), UUID.randomUUID().toString(), Reply.success(-1));
                        try {
                            Thread.sleep(behaviour.strayGap.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    send(channel, request.getReplyTo(), request.getCorrelationId(), answer);
                }
            }
            synchronized (channel) {
                try {
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                } catch (IOException | RuntimeException closed) {
                    // the test is over and the channel closed: nothing to ack any more
                }
            }
        };
        int hold = behaviour.holdFor;
        if (hold <= 0) {
            respond.run();
            return;
        }
        List<Runnable> batch = null;
        synchronized (held) {
            held.add(respond);
            if (held.size() == hold) {
                batch = new ArrayList<>(held);
                held.clear();
            }
        }
        if (batch != null) {
            Collections.reverse(batch);
            batch.forEach(Runnable::run);
        }
    }

    private void send(Channel channel, String replyTo, String correlationId, Reply reply) {
        if (replyTo == null) {
            return;
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().correlationId(correlationId).build();
        synchronized (channel) {
            try {
                channel.basicPublish("", replyTo, properties, reply.encode());
                repliesSent.add(correlationId);
            } catch (IOException | RuntimeException closed) {
                // the test is over and the channel closed
            }
        }
    }

    /** Every task that reached a worker, in the order they came. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The correlation ids of the replies sent so far (strays and duplicates included). */
    List<String> repliesSent() {
        return List.copyOf(repliesSent);
    }

    /** The most tasks the workers had in hand at one moment: arrived and not yet answered. */
    int mostInHand() {
        return mostInHand.get();
    }

    String queue() {
        return queue;
    }

    @Override
    public void close() throws IOException {
        for (Channel channel : channels) {
            try {
                channel.close();
            } catch (Exception closedAlready) {
                // the connection went first, or it was closed already
            }
        }
    }
}
