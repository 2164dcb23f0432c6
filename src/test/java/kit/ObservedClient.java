package kit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The {@link HttpClient} a test hands to an exercise: an HTTP/1.1 client that gives every request
 * without a timeout of its own this client's timeout (as a {@code requests.Session} would), and
 * watches the client side: which threads sent requests, and how many calls have not returned yet.
 *
 * <p>Its own few threads are daemons started up front, so that counting the platform threads an
 * exercise starts is not disturbed by the client's pool growing under load.
 */
public final class ObservedClient extends HttpClient {

    private static final int CLIENT_THREADS = 4;
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final ThreadMXBean LIVE = ManagementFactory.getThreadMXBean();

    private final HttpClient http;
    private final ThreadPoolExecutor executor;
    private final Duration timeout;
    private final Set<Thread> senders = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger blockingSends = new AtomicInteger();
    private final Queue<long[]> liveAtSend = new ConcurrentLinkedQueue<>();
    private volatile boolean recordingLive;

    /** A client whose requests time out after {@code timeout} unless they carry their own. */
    public ObservedClient(Duration timeout) {
        this.timeout = timeout;
        int id = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        executor = new ThreadPoolExecutor(CLIENT_THREADS, CLIENT_THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "test-client-" + id + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return KitThreads.own(thread);
                });
        executor.prestartAllCoreThreads();
        // The JDK client starts a selector thread of its own as it is built: the kit's, not the exercise's.
        http = KitThreads.ownStartedBy(() -> HttpClient.newBuilder()
                .version(Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build(), thread -> thread.getClass().getModule() == HttpClient.class.getModule());
    }

    /** The threads that called {@code send} or {@code sendAsync}, each once. */
    public Set<Thread> senders() {
        return Set.copyOf(senders);
    }

    /** Calls of {@code send} not yet returned plus futures of {@code sendAsync} not yet complete. */
    public int unanswered() {
        return unanswered.get();
    }

    /** Calls of the blocking {@code send} so far (a thread waited in each). */
    public int blockingSends() {
        return blockingSends.get();
    }

    /**
     * From now on, records at each request which platform threads were alive, so that
     * {@link #mostSendersAliveAtOnce()} can tell threads that ran together from threads that ran
     * one after another.
     */
    public void recordLiveThreads() {
        recordingLive = true;
    }

    /**
     * The most sender threads (those that sent a request since the last {@link #forget()}) that
     * were alive at the moment one of them sent its request; needs {@link #recordLiveThreads()}.
     */
    public int mostSendersAliveAtOnce() {
        Set<Long> ids = new HashSet<>();
        senders.forEach(thread -> ids.add(thread.threadId()));
        int most = 0;
        for (long[] alive : liveAtSend) {
            most = Math.max(most, (int) Arrays.stream(alive).filter(ids::contains).count());
        }
        return most;
    }

    /** Forgets the senders seen so far. */
    public void forget() {
        senders.clear();
        liveAtSend.clear();
    }

    private HttpRequest withTimeout(HttpRequest request) {
        senders.add(Thread.currentThread());
        if (recordingLive) {
            liveAtSend.add(LIVE.getAllThreadIds());
        }
        if (request.timeout().isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest timed = withTimeout(request);
        blockingSends.incrementAndGet();
        unanswered.incrementAndGet();
        try {
            return http.send(timed, handler);
        } finally {
            unanswered.decrementAndGet();
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest timed = withTimeout(request);
        unanswered.incrementAndGet();
        return counted(http.sendAsync(timed, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        HttpRequest timed = withTimeout(request);
        unanswered.incrementAndGet();
        return counted(http.sendAsync(timed, handler, push));
    }

    /**
     * The exchange's own future, not a stage after it: cancelling it must reach the exchange, as
     * it does with a plain client. The count of calls not returned follows it.
     */
    private <T> CompletableFuture<HttpResponse<T>> counted(CompletableFuture<HttpResponse<T>> exchange) {
        exchange.whenComplete((response, failure) -> unanswered.decrementAndGet());
        return exchange;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return http.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return http.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return http.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return http.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return http.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return http.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return http.authenticator();
    }

    @Override
    public Version version() {
        return http.version();
    }

    @Override
    public Optional<Executor> executor() {
        return http.executor();
    }

    @Override
    public void shutdown() {
        http.shutdown();
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        return http.awaitTermination(duration);
    }

    @Override
    public boolean isTerminated() {
        return http.isTerminated();
    }

    @Override
    public void shutdownNow() {
        http.shutdownNow();
    }

    /** Stops at once, cancelling what is still in flight: a test must not wait for a stuck exercise. */
    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
