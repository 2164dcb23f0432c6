package kit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tap on the wire between the code a test grades and the broker: a port of 127.0.0.1 that passes
 * every byte on to the broker and back, and keeps the AMQP methods each side sent, in the order
 * they went, with the properties of each message published or delivered. It decodes the frames
 * with the client library's own codec.
 *
 * <p>Why: the embedded broker is more lenient than RabbitMQ where the lessons rely on RabbitMQ's
 * rules (it accepts a durable queue re-declared as non-durable, and applies a prefetch set after
 * consuming began to that consumer, where RabbitMQ applies it only to consumers started after it).
 * The tests see what the code asked of the broker, which is the same on either broker. Get one
 * from {@link Broker#tap()}.
 */
public final class AmqpTap implements AutoCloseable {

    /**
     * A method one side sent on one of the tap's connections.
     *
     * @param connection which connection, numbered from 1 in the order the tap accepted them
     * @param order the method's place in all that the tap saw, across connections and directions
     * @param fromClient whether the code under test sent it (else the broker)
     * @param properties a publish's or a delivery's message properties; null for other methods
     */
    public record Call(int connection, long order, boolean fromClient, int channel, Method method,
            AMQP.BasicProperties properties) {

        @Override
        public String toString() {
            return (fromClient ? "sent" : "received") + " on connection " + connection + ", channel " + channel + ": "
                    + method.protocolMethodName() + (properties == null ? "" : " (correlation id "
                    + properties.getCorrelationId() + ")");
        }
    }

    private static final int FRAME_METHOD = 1;
    private static final int FRAME_HEADER = 2;

    private final URI broker;
    private final ServerSocket server;
    private final List<Call> calls = new ArrayList<>(); // guarded by itself
    private final List<Socket> sockets = new ArrayList<>(); // guarded by itself
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong order = new AtomicLong();

    /** Listens on a free port of 127.0.0.1 and passes what comes on to {@code broker}. */
    public AmqpTap(URI broker) throws IOException {
        this.broker = broker;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("tap accept", this::accept);
    }

    /** The broker's URI (user, password, virtual host) with the tap's address instead of the broker's. */
    public URI uri() {
        try {
            return new URI(broker.getScheme(), broker.getRawUserInfo(), "127.0.0.1", server.getLocalPort(),
                    broker.getRawPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything the tap saw so far, in the order it went. */
    public List<Call> calls() {
        synchronized (calls) {
            List<Call> copy = new ArrayList<>(calls);
            copy.sort(Comparator.comparingLong(Call::order));
            return copy;
        }
    }

    /** What the code under test sent on {@code connection}, in order. */
    public List<Call> sentOn(int connection) {
        return calls().stream().filter(c -> c.fromClient() && c.connection() == connection).toList();
    }

    /** The methods of {@code type} that the code under test sent, in order. */
    public <M extends Method> List<Call> sent(Class<M> type) {
        return calls().stream().filter(c -> c.fromClient() && type.isInstance(c.method())).toList();
    }

    /** How many connections the tap has taken so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            int number = connections.incrementAndGet();
            try {
                int port = broker.getPort() < 0 ? 5672 : broker.getPort();
                Socket upstream = new Socket(broker.getHost(), port);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                start("tap " + number + " client", () -> relay(number, true, client, upstream));
                start("tap " + number + " broker", () -> relay(number, false, upstream, client));
            } catch (IOException brokerGone) {
                closeQuietly(client);
            }
        }
    }

    /** Passes frames from {@code from} to {@code to}, keeping each method; the client's side starts with the protocol header. */
    private void relay(int connection, boolean fromClient, Socket from, Socket to) {
        Map<Integer, Call> awaitingHeader = new HashMap<>(); // a publish or delivery whose properties come next
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(to.getOutputStream()))) {
            if (fromClient) {
                byte[] header = new byte[8]; // "AMQP" 0 0 9 1
                in.readFully(header);
                out.write(header);
                out.flush();
            }
            while (true) {
                Frame frame = Frame.readFrom(in, () -> Integer.MAX_VALUE);
                if (frame == null) {
                    continue;
                }
                record(connection, fromClient, frame, awaitingHeader);
                byte[] payload = frame.getPayload(); // as it came: type, channel, size, payload, end
                out.writeByte(frame.getType());
                out.writeShort(frame.getChannel());
                out.writeInt(payload.length);
                out.write(payload);
                out.writeByte(AMQP.FRAME_END);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException ended) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void record(int connection, boolean fromClient, Frame frame, Map<Integer, Call> awaitingHeader)
            throws IOException {
        if (frame.getType() == FRAME_METHOD) {
            Method method = AMQImpl.readMethodFrom(frame.getInputStream());
            Call call = new Call(connection, order.incrementAndGet(), fromClient, frame.getChannel(), method, null);
            if (method.protocolClassId() == 60 && (method instanceof AMQP.Basic.Publish
                    || method instanceof AMQP.Basic.Deliver || method instanceof AMQP.Basic.GetOk
                    || method instanceof AMQP.Basic.Return)) {
                awaitingHeader.put(frame.getChannel(), call);
            } else {
                add(call);
            }
        } else if (frame.getType() == FRAME_HEADER) {
            Call call = awaitingHeader.remove(frame.getChannel());
            if (call != null) {
                add(new Call(call.connection(), call.order(), fromClient, call.channel(), call.method(),
                        (AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(frame.getInputStream())));
            }
        }
    }

    private void add(Call call) {
        synchronized (calls) {
            calls.add(call);
        }
    }

    private static void start(String name, Runnable body) {
        Thread thread = KitThreads.own(new Thread(body, "threadwork-" + name));
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException closedAlready) {
            // nothing left to free
        }
    }

    /** Stops listening and cuts every connection through the tap. */
    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            sockets.forEach(AmqpTap::closeQuietly);
            sockets.clear();
        }
    }
}
