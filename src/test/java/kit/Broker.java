package kit;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The AMQP 0-9-1 broker of the distributed chapter. By default an embedded Apache Qpid Broker-J
 * ({@link EmbeddedBroker}) in a JVM of its own on a free port of 127.0.0.1, nothing to install:
 * started by the first test class that needs it and stopped when the test run ends (so a run
 * starts it once, however many classes use it). Given a broker's URI, in the system property
 * {@value #URI_PROPERTY} or else the environment variable {@value #URI_VARIABLE} (for example
 * {@code amqp://guest:guest@127.0.0.1:5672/} for a RabbitMQ on this machine), it starts nothing and
 * the tests use that broker.
 *
 * <p>Use it as {@code @RegisterExtension static final Broker broker = new Broker();}. A test class
 * gets fresh, uniquely named queues from {@link #newQueue}, deleted after the class (so a shared
 * RabbitMQ keeps nothing of a run), and a connection of the test's own for publishing, consuming
 * and looking at queues. That connection's threads are the kit's ({@link KitThreads}): they are
 * not threads an exercise left running.
 */
public final class Broker implements BeforeAllCallback, AfterAllCallback {

    /** The system property naming a broker to use instead of the embedded one. */
    public static final String URI_PROPERTY = "kit.amqp.uri";
    /** The environment variable naming a broker, when the system property is not set. */
    public static final String URI_VARIABLE = "KIT_AMQP_URI";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Broker.class);
    /** Broker-J starts in 1-4 s on a busy 2-CPU machine; a JVM that never says it is ready is broken. */
    private static final Duration START_BOUND = Duration.ofSeconds(60);

    private URI uri;
    private boolean embedded;
    private Connection connection;
    private AmqpTap tap;
    private final List<String> queues = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String given = System.getProperty(URI_PROPERTY);
        if (given == null || given.isBlank()) {
            given = System.getenv(URI_VARIABLE);
        }
        embedded = given == null || given.isBlank();
        if (!embedded) {
            uri = URI.create(given.strip());
        } else {
            // The root store lives as long as the run: one embedded broker for every class.
            uri = context.getRoot().getStore(NS).computeIfAbsent(Embedded.class, k -> Embedded.start(), Embedded.class).uri();
        }
        try {
            connection = factory(uri).newConnection("threadwork tests");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("the broker at " + uri + " does not answer: " + e, e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (connection == null) {
            return;
        }
        try {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (IOException | TimeoutException | AlreadyClosedException notThere) {
                    // a queue the code under test never made, or made exclusive and took with it
                }
            }
        } finally {
            if (tap != null) {
                tap.close();
                tap = null;
            }
            queues.clear();
            connection.close();
            connection = null;
        }
    }

    /** The broker's address, with user and password: {@code amqp://guest:guest@127.0.0.1:port/}. */
    public URI uri() {
        return uri;
    }

    /** Whether this is the embedded broker rather than one given by {@value #URI_PROPERTY}. */
    public boolean embedded() {
        return embedded;
    }

    /**
     * A new durable queue (not exclusive, not auto-deleted: a work queue, declared as a client and a
     * worker declare it), named {@code threadwork-<what>-<random>}, deleted after the class.
     */
    public String newQueue(String what) throws IOException {
        String name = newName(what);
        try (Channel channel = channel()) {
            channel.queueDeclare(name, true, false, false, null);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
        return name;
    }

    /**
     * The class's tap on the wire to the broker ({@link AmqpTap}): give its {@link AmqpTap#uri()} to
     * the code under test to see what that code asks of the broker. Made at the first call, closed
     * after the class.
     */
    public synchronized AmqpTap tap() throws IOException {
        if (tap == null) {
            tap = new AmqpTap(uri);
        }
        return tap;
    }

    /** Whether {@code queue} exists on the broker now. */
    public boolean exists(String queue) throws IOException {
        try (Channel channel = channel()) {
            channel.queueDeclarePassive(queue);
            return true;
        } catch (IOException notFound) {
            return false; // 404: the broker closed the channel
        } catch (TimeoutException | AlreadyClosedException e) {
            return false;
        }
    }

    /** Names a queue to delete after the class although the class did not make it (the code under test did). */
    public String deleteAfter(String queue) {
        queues.add(queue);
        return queue;
    }

    /** A fresh queue name, {@code threadwork-<what>-<random>}, that nobody has declared yet; deleted after the class if made. */
    public String newName(String what) {
        return deleteAfter("threadwork-" + what + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    /** The test's own connection to the broker (daemon threads; closed after the class). */
    public Connection connection() {
        return connection;
    }

    /** A new channel on the test's connection; close it when done. */
    public Channel channel() throws IOException {
        return connection.createChannel();
    }

    /** How many consumers the broker has on {@code queue} right now. */
    public int consumers(String queue) throws IOException {
        try (Channel channel = channel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** How many messages wait in {@code queue} right now (not counting those delivered and not yet acked). */
    public int messages(String queue) throws IOException {
        try (Channel channel = channel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Drops the messages waiting in {@code queue}. */
    public void purge(String queue) throws IOException {
        try (Channel channel = channel()) {
            channel.queuePurge(queue);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** The URI of a broker that is not there: a loopback port where nothing listens. */
    public static URI nobodyListening() {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return URI.create("amqp://guest:guest@127.0.0.1:" + port + "/");
    }

    /**
     * A broker that does not answer: a loopback port that takes connections (the system accepts them
     * into its backlog) and never says a word. A client without timeouts of its own waits there long.
     */
    public static final class Silent implements AutoCloseable {

        private final ServerSocket socket;

        public Silent() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }

        public URI uri() {
            return URI.create("amqp://guest:guest@127.0.0.1:" + socket.getLocalPort() + "/");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A connection factory for the tests' side: daemon threads, no recovery, bounded waits. */
    static ConnectionFactory factory(URI uri) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a broker URI: " + uri + ": " + e.getMessage(), e);
        }
        factory.setThreadFactory(task -> {
            Thread thread = KitThreads.own(new Thread(task)); // the leak check lets off the kit's own threads
            thread.setDaemon(true);
            return thread;
        });
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(10_000);
        factory.setHandshakeTimeout(10_000);
        return factory;
    }

    /** The embedded broker's JVM, shared by the classes of one run and stopped when the run ends. */
    private record Embedded(JavaProcess process, URI uri) implements AutoCloseable {

        static Embedded start() {
            JavaProcess process = JavaProcess.start("the embedded broker", EmbeddedBroker.class.getName(),
                    List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"), List.of());
            try {
                JavaProcess.Line ready = process.awaitLine(line -> line.startsWith(EmbeddedBroker.READY), START_BOUND)
                        .orElseThrow(() -> new IllegalStateException("the embedded broker did not start within "
                                + START_BOUND.toSeconds() + " s; its output:\n" + process.tail(30)));
                int port = Integer.parseInt(ready.text().substring(EmbeddedBroker.READY.length()).strip());
                return new Embedded(process, URI.create("amqp://guest:guest@127.0.0.1:" + port + "/"));
            } catch (InterruptedException e) {
                process.kill();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the embedded broker started", e);
            } catch (RuntimeException e) {
                process.kill();
                throw e;
            }
        }

        @Override
        public void close() {
            process.kill();
        }
    }
}
