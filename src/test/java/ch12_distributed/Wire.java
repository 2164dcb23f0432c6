package ch12_distributed;

import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kit.AmqpTap;
import kit.AmqpTap.Call;

/**
 * What the worker or the client asked of the broker, as the class's tap ({@link AmqpTap}) saw it on
 * the wire: where RabbitMQ's rules decide and the embedded broker lets a mistake pass (a durable
 * queue re-declared otherwise, a prefetch set after consuming began), and where only the order of
 * two calls tells a right worker from a wrong one (the ack after the reply).
 */
final class Wire {

    private Wire() {
    }

    /**
     * Fails unless the code declared {@code queue} (on connections after {@code sinceConnection}), and
     * each of its declarations is the work queue's: durable, not exclusive, not auto-deleted, no arguments.
     *
     * @param who "the worker" or "the client", for the message
     */
    static void assertDeclaredAsWorkQueue(AmqpTap tap, int sinceConnection, String queue, String who) {
        List<AMQP.Queue.Declare> declarations = tap.sent(AMQP.Queue.Declare.class).stream()
                .filter(c -> c.connection() > sinceConnection).map(c -> (AMQP.Queue.Declare) c.method())
                .filter(d -> d.getQueue().equals(queue)).toList();
        String how = " Declare it as every worker and client does: queueDeclare(queue, true, false, false, null).";
        if (declarations.isEmpty()) {
            fail(who + " never declared the work queue '" + queue + "' (queueDeclare): a worker or a client may be the"
                    + " first to use it, and a task published to a queue that does not exist is dropped without a"
                    + " word." + how);
        }
        for (AMQP.Queue.Declare d : declarations) {
            if (d.getPassive()) {
                fail(who + " only checked that the work queue exists (queueDeclarePassive) instead of declaring it:"
                        + " the first worker or client to come must create it." + how);
            }
            if (!d.getDurable()) {
                fail(who + " declared the work queue with durable=false: a broker that restarts loses a non-durable"
                        + " queue and every task in it, persistent or not, and RabbitMQ refuses the declaration"
                        + " (PRECONDITION_FAILED, closing the channel) where the queue exists durable, as the others"
                        + " declare it; the tests' embedded broker lets it pass." + how);
            }
            if (d.getExclusive()) {
                fail(who + " declared the work queue with exclusive=true: an exclusive queue belongs to one connection"
                        + " (no other worker may consume from it) and is deleted with it, tasks and all." + how);
            }
            if (d.getAutoDelete()) {
                fail(who + " declared the work queue with autoDelete=true: the broker deletes it, with the tasks"
                        + " waiting in it, when its last worker stops consuming." + how);
            }
            Map<String, Object> arguments = d.getArguments();
            if (arguments != null && !arguments.isEmpty()) {
                fail(who + " declared the work queue with the arguments " + arguments + ": RabbitMQ refuses a"
                        + " declaration whose arguments differ from the queue's (PRECONDITION_FAILED)." + how);
            }
        }
    }

    /**
     * Fails unless each consumer the code started on {@code queue} had a prefetch of 1 set on its
     * channel before it started: RabbitMQ applies {@code basicQos} only to the consumers started after
     * it on that channel; the embedded broker applies it to a running consumer too.
     */
    static void assertPrefetchBeforeConsuming(AmqpTap tap, String queue) {
        List<Call> calls = tap.calls();
        for (Call consume : calls) {
            if (!consume.fromClient() || !(consume.method() instanceof AMQP.Basic.Consume c) || !c.getQueue().equals(queue)) {
                continue;
            }
            Optional<AMQP.Basic.Qos> before = calls.stream().filter(q -> q.fromClient() && sameChannel(q, consume)
                    && q.order() < consume.order() && q.method() instanceof AMQP.Basic.Qos)
                    .map(q -> (AMQP.Basic.Qos) q.method()).reduce((first, second) -> second);
            boolean after = calls.stream().anyMatch(q -> q.fromClient() && sameChannel(q, consume)
                    && q.order() > consume.order() && q.method() instanceof AMQP.Basic.Qos qos && qos.getPrefetchCount() == 1);
            if (before.isEmpty() && after) {
                fail("a worker's basicQos came after basicConsume on its channel: RabbitMQ applies a prefetch only to"
                        + " the consumers started after it on the channel (the tests' embedded broker applies it to the"
                        + " running one as well), so on RabbitMQ this worker is handed every task waiting, while the"
                        + " other workers stand idle. Call basicQos(1) before basicConsume");
            }
            if (before.isEmpty() || before.get().getPrefetchCount() != 1) {
                fail("a worker consumes from the work queue with " + before.map(q -> "a prefetch of "
                        + q.getPrefetchCount() + (q.getPrefetchCount() == 0 ? " (no limit)" : ""))
                        .orElse("no prefetch set on its channel") + ": with basicQos(1) before basicConsume, the"
                        + " broker sends a worker its next task only once it has acked the last, so that each task"
                        + " goes to a worker that is free");
            }
        }
    }

    /**
     * The tasks delivered from {@code queue} whose ack the tap saw, each with the publish of its reply
     * (the code's publish with the task's correlation id, on the same connection) if any; the ack's
     * place is compared with the reply's by {@link #assertRepliedBeforeAck}.
     */
    static List<Handled> handled(AmqpTap tap, String queue) {
        List<Call> calls = tap.calls();
        List<Handled> handled = new ArrayList<>();
        for (Call delivery : calls) {
            if (delivery.fromClient() || !(delivery.method() instanceof AMQP.Basic.Deliver d) || !d.getRoutingKey().equals(queue)
                    || delivery.properties() == null) {
                continue;
            }
            String id = delivery.properties().getCorrelationId();
            Optional<Call> ack = calls.stream().filter(a -> a.fromClient() && sameChannel(a, delivery)
                    && a.order() > delivery.order() && a.method() instanceof AMQP.Basic.Ack ack1
                    && (ack1.getDeliveryTag() == d.getDeliveryTag()
                            || ack1.getMultiple() && (ack1.getDeliveryTag() > d.getDeliveryTag() || ack1.getDeliveryTag() == 0)))
                    .findFirst();
            // The reply on the task's own connection: only there does the order of two frames tell the order of two calls.
            Optional<Call> reply = calls.stream().filter(p -> p.fromClient() && p.order() > delivery.order()
                    && p.method() instanceof AMQP.Basic.Publish && p.properties() != null
                    && Objects.equals(p.properties().getCorrelationId(), id))
                    .min((p, q) -> Boolean.compare(p.connection() != delivery.connection(), q.connection() != delivery.connection()));
            handled.add(new Handled(id, delivery, ack, reply));
        }
        return handled;
    }

    /** A task delivered to the code under test: its ack and the publish of its reply, if the tap saw them. */
    record Handled(String correlationId, Call delivery, Optional<Call> ack, Optional<Call> reply) {
    }

    /** Fails if the code acked a task before it published the task's reply. */
    static void assertRepliedBeforeAck(Handled task, String described) {
        boolean sameConnection = task.reply().isEmpty() || task.reply().get().connection() == task.delivery().connection();
        if (task.ack().isPresent() && sameConnection
                && (task.reply().isEmpty() || task.reply().get().order() > task.ack().get().order())) {
            fail("the worker acked " + described + " before it published its reply: a worker that dies between the"
                    + " two has told the broker the task is done, so the broker gives it to no one else, and no reply"
                    + " ever comes. Publish the reply first, then basicAck");
        }
    }

    private static boolean sameChannel(Call a, Call b) {
        return a.connection() == b.connection() && a.channel() == b.channel();
    }
}
