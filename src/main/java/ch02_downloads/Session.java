package ch02_downloads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection to the web that remembers things between requests, like Python's
 * {@code requests.Session}.
 *
 * <p>Not thread-safe, on purpose: one thread at a time may use a session. It notices when two
 * threads use it at once and throws {@link IllegalStateException}; give each thread its own.
 * Closing it closes the client it was given.
 */
public final class Session implements AutoCloseable {

    private final HttpClient client;
    private final AtomicReference<Thread> user = new AtomicReference<>();
    private volatile boolean closed;

    /** A session that sends with {@code client} and owns it from now on. */
    public Session(HttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The body of the site.
     *
     * @throws IOException if the site answers with an error status, resets the connection or times out
     * @throws IllegalStateException if another thread is using this session right now, or it is closed
     */
    public byte[] get(URI site) throws IOException, InterruptedException {
        Thread me = Thread.currentThread();
        Thread other = user.compareAndExchange(null, me);
        if (other != null) {
            throw new IllegalStateException("a Session is not thread-safe: '" + me.getName()
                    + "' used it while '" + other.getName() + "' was using it; give each thread its own");
        }
        try {
            if (closed) {
                throw new IllegalStateException("this Session is closed");
            }
            return Http.get(client, site);
        } finally {
            user.set(null);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }
}
