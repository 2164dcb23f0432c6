package grader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real RabbitMQ for the self-check, so that ch12_distributed is graded against the broker its
 * lesson is about and not only against the embedded one: a node of its own on 127.0.0.1, started
 * by {@code scripts/rabbitmq-check --serve} (which keeps it up until its standard input closes).
 * Only where Debian's rabbitmq-server is installed and the self-check runs as root (the script
 * starts the node as the rabbitmq user); the self-check installs nothing.
 */
final class RabbitMq implements AutoCloseable {

    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    private static final String SERVING = "rabbitmq-check: serving ";
    /** The node boots in 5-20 s on a busy 2-CPU machine. */
    private static final long START_SECONDS = 150;

    private final Process process;
    private final List<String> output = new ArrayList<>(); // guarded by itself
    private final CompletableFuture<String> uri = new CompletableFuture<>();

    private RabbitMq(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "rabbitmq-check output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Why this machine cannot run one, or empty if it can. */
    static Optional<String> unavailable(Path basedir) {
        if (!Files.isExecutable(SERVER)) {
            return Optional.of("Debian's rabbitmq-server is not installed (scripts/rabbitmq-check installs it)");
        }
        if (!isRoot()) {
            return Optional.of("the self-check does not run as root, which scripts/rabbitmq-check needs");
        }
        if (!Files.isExecutable(basedir.resolve("scripts/rabbitmq-check"))) {
            return Optional.of("scripts/rabbitmq-check is missing");
        }
        return Optional.empty();
    }

    /** Starts the node; {@link #uri()} waits until it is up. */
    static RabbitMq start(Path basedir) throws IOException {
        Process process = new ProcessBuilder(basedir.resolve("scripts/rabbitmq-check").toString(), "--serve")
                .directory(basedir.toFile()).redirectErrorStream(true).start();
        return new RabbitMq(process);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith(SERVING)) {
                    uri.complete(line.substring(SERVING.length()).strip());
                }
            }
        } catch (IOException ended) {
            // the process is gone; said below
        }
        uri.completeExceptionally(new IllegalStateException("scripts/rabbitmq-check --serve ended before the node was up: "
                + output()));
    }

    /** The node's AMQP URI, once it is up; throws with the script's output if it does not come up. */
    String uri() throws Exception {
        try {
            return uri.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("RabbitMQ was not up within " + START_SECONDS + " s: " + output(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** What the script said, e.g. the version line and the connections the node accepted. */
    String output() {
        synchronized (output) {
            return String.join(" / ", output);
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Closes the script's standard input: it stops the node and removes its files. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException gone) {
            // ended already
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly(); // the self-check is being stopped: the node goes with it
            Thread.currentThread().interrupt();
        }
    }
}
