package kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Notifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fake web server of the I/O chapters: an in-process WireMock server on loopback that serves
 * sites with bodies of random size and content (chosen anew each run, so a hard-coded or cached
 * answer fails), each after a delay, injects faults on chosen sites, and watches concurrency
 * where it happens: which requests were in flight at the same time.
 *
 * <p>Use it as {@code @RegisterExtension static final FakeServer server = new FakeServer();}: it
 * starts before the class's tests, forgets its sites and observations before each test, and stops
 * after the class.
 *
 * <p>Why it is set up as it is: WireMock serves in its default synchronous mode, where the delay
 * is slept on the serving thread after the listener's before-response-sent (see {@link Served}
 * for how a request's time in flight is taken; asynchronous-response mode would break it). Its
 * Jetty threads are all started up front, enough for the 160-site tests (the default serves only
 * about 20 at once), and daemons, so that the server starts no thread while a test measures the
 * threads an exercise starts. HTTP/2 cleartext is off: the JDK client would otherwise upgrade and
 * then fail past Jetty's 128 concurrent streams.
 */
public final class FakeServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The per-request delay of a site unless a test says otherwise: "D" in the catalogue. */
    public static final Duration D = Duration.ofMillis(100);

    /** Enough threads for 160 requests at once plus a few stalled ones, with room for Jetty's own. */
    private static final int THREADS = 400;
    private static final int MIN_BODY = 1_000;
    private static final int MAX_BODY = 40_000;

    /**
     * One request the server saw: its path and query, when it arrived, and the earliest moment its
     * client could have had the answer (the listener's before-response-sent, which comes before
     * the delay, plus the delay). The client's own request lasted at least from {@code startNanos}
     * to {@code answeredNanos}, so counting these never shows more requests in flight than the
     * client really had. (After-complete would: it can fire after the client already has its
     * answer and has sent its next request.)
     */
    public record Served(String url, long startNanos, long answeredNanos, int status, boolean done) {

        static final long RUNNING = Long.MAX_VALUE;

        boolean overlaps(long nanos) {
            return startNanos <= nanos && nanos < answeredNanos;
        }
    }

    private final Map<UUID, Served> served = new ConcurrentHashMap<>();
    private final Map<String, Integer> sizes = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom();
    private final Set<Integer> sizesTaken = new HashSet<>();
    private final List<ObservedClient> clients = new ArrayList<>();
    private WireMockServer wireMock;
    private volatile Integer limit; // drawn on the report page with this round's requests in flight

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        forget();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        observeRound();
        List<ObservedClient> opened;
        synchronized (clients) {
            opened = List.copyOf(clients);
            clients.clear();
        }
        opened.forEach(ObservedClient::close);
    }

    public void start() {
        if (wireMock != null) {
            return;
        }
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .http2PlainDisabled(true)
                .containerThreads(THREADS)
                .threadPoolFactory(o -> {
                    QueuedThreadPool pool = new QueuedThreadPool(THREADS, THREADS);
                    pool.setName("fake-server");
                    pool.setDaemon(true);
                    return pool;
                })
                .jettyStopTimeout(0L)
                .notifier(new Quiet())
                .extensions(new Watcher());
        wireMock = new WireMockServer(options);
        // Jetty's threads, and the scheduler its first connection starts, are the kit's own.
        KitThreads.ownStartedBy(() -> {
            wireMock.start();
            warmUp();
            return null;
        }, thread -> true);
    }

    /**
     * One request before any test: Jetty starts its connector's scheduler thread (not a daemon)
     * at the first connection, and a test must not see it as a thread the exercise left behind.
     */
    private void warmUp() {
        try {
            HttpURLConnection connection = (HttpURLConnection) url("/__admin/health").toURL().openConnection();
            try (InputStream body = connection.getInputStream()) {
                body.readAllBytes();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the fake server does not answer: " + e, e);
        }
    }

    public void stop() {
        if (wireMock != null) {
            wireMock.stop();
            wireMock = null;
        }
    }

    /** Forgets every site, stub and observation (the report page keeps a picture of the round before). */
    public void reset() {
        observeRound();
        forget();
    }

    /** The limit the requests of this round are held to (a semaphore's permits, a pool's size), for the report page. */
    public void drawLimit(int limit) {
        this.limit = limit;
    }

    /** Requests in flight over time since the last reset, for the report page ({@link Observations}). */
    private void observeRound() {
        List<Served> all = served();
        if (all.isEmpty()) {
            return;
        }
        long zero = all.get(0).startNanos();
        long now = System.nanoTime();
        List<long[]> changes = new ArrayList<>(); // {micros since the first arrival, +1 or -1}
        for (Served s : all) {
            changes.add(new long[] {(s.startNanos() - zero) / 1_000, 1});
            changes.add(new long[] {(Math.min(s.answeredNanos(), now) - zero) / 1_000, -1});
        }
        changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
        List<long[]> steps = Observations.steps(changes);
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("requests", all.size());
        data.put("max", maxInFlight());
        if (limit != null) {
            data.put("limit", limit);
        }
        data.put("steps", Observations.downsample(steps, 300));
        Observations.record("in-flight", data, 3);
    }

    private void forget() {
        limit = null;
        wireMock.resetAll();
        served.clear();
        sizes.clear();
        synchronized (sizesTaken) {
            sizesTaken.clear();
        }
    }

    /** The address of a path (and query) on this server, e.g. {@code url("/weather")}. */
    public URI url(String pathAndQuery) {
        return URI.create(wireMock.baseUrl() + pathAndQuery);
    }

    /** Adds a stub of a test's own, for services other than plain sites. */
    public void stub(MappingBuilder mapping) {
        wireMock.stubFor(mapping);
    }

    /** A site answering 200 after {@link #D} with a body of random size and content. */
    public URI site(String name) {
        return site(name, D);
    }

    /** A site answering 200 after {@code delay} with a body of random size and content. */
    public URI site(String name, Duration delay) {
        int size = freshSize();
        byte[] body = new byte[size];
        synchronized (random) {
            random.nextBytes(body);
        }
        String path = "/sites/" + name;
        wireMock.stubFor(get(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(200).withBody(body).withFixedDelay(millis(delay))));
        URI site = url(path);
        sizes.put(site.toString(), size);
        return site;
    }

    /** {@code count} distinct sites named {@code prefix-0 ...}, each answering after {@link #D}. */
    public List<URI> sites(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> site(prefix + "-" + i)).toList();
    }

    /** {@code count} distinct sites, each answering after its own random delay in [min, max]. */
    public List<URI> sites(String prefix, int count, Duration min, Duration max) {
        List<URI> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long delay;
            synchronized (random) {
                delay = random.nextLong(min.toMillis(), max.toMillis() + 1);
            }
            sites.add(site(prefix + "-" + i, Duration.ofMillis(delay)));
        }
        return sites;
    }

    /** The body size this run serves for a site made by {@link #site}. */
    public int size(URI site) {
        Integer size = sizes.get(site.toString());
        if (size == null) {
            throw new IllegalArgumentException("not a site of this fake server: " + site);
        }
        return size;
    }

    /** A site that answers with this HTTP error status at once. */
    public URI failing(String name, int status) {
        String path = "/sites/" + name;
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status).withBody("failed on purpose")));
        return url(path);
    }

    /** A site that resets the connection instead of answering. */
    public URI resetting(String name) {
        String path = "/sites/" + name;
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        return url(path);
    }

    /** A site that answers only after {@code delay}: make it longer than the client's timeout. */
    public URI stalling(String name, Duration delay) {
        String path = "/sites/" + name;
        wireMock.stubFor(get(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(200).withBody("too late").withFixedDelay(millis(delay))));
        return url(path);
    }

    /** Requests sent by this server's clients ({@link #client}) whose call has not returned or completed yet. */
    public int unansweredAtClients() {
        synchronized (clients) {
            return clients.stream().mapToInt(ObservedClient::unanswered).sum();
        }
    }

    /**
     * A client for this server (HTTP/1.1, one connection per request in flight) whose requests
     * time out after {@code timeout}. Closed after the test, if no one closed it before.
     */
    public ObservedClient client(Duration timeout) {
        ObservedClient client = new ObservedClient(timeout);
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** Every request seen since the last reset, in the order they arrived. */
    public List<Served> served() {
        return served.values().stream().sorted(Comparator.comparingLong(Served::startNanos)).toList();
    }

    /** How many requests are being served right now (the interrupt checks wait for the first). */
    public int inFlight() {
        return (int) served.values().stream().filter(s -> !s.done()).count();
    }

    /** The most requests in flight at one moment since the last reset. */
    public int maxInFlight() {
        return maxInFlight(s -> true);
    }

    /** The most requests of those matching {@code which} in flight at one moment. */
    public int maxInFlight(Predicate<Served> which) {
        return largestOverlap(which).size();
    }

    private Set<String> largestOverlap(Predicate<Served> which) {
        List<Served> chosen = served().stream().filter(which).toList();
        Set<String> best = new LinkedHashSet<>();
        // The number in flight only rises when a request arrives: look at each arrival.
        for (Served arrival : chosen) {
            long t = arrival.startNanos();
            List<Served> together = chosen.stream().filter(s -> s.overlaps(t)).toList();
            if (together.size() > best.size()) {
                best = new LinkedHashSet<>();
                for (Served s : together) {
                    best.add(s.url());
                }
            }
        }
        return best;
    }

    private int freshSize() {
        synchronized (sizesTaken) {
            while (true) {
                int size;
                synchronized (random) {
                    size = random.nextInt(MIN_BODY, MAX_BODY + 1);
                }
                if (sizesTaken.add(size)) {
                    return size; // distinct sizes make a wrong order visible
                }
            }
        }
    }

    private static int millis(Duration delay) {
        return Math.toIntExact(delay.toMillis());
    }

    /** Counts from before matching to after the response is complete. */
    private final class Watcher implements ServeEventListener {

        @Override
        public String getName() {
            return "threadwork-in-flight";
        }

        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            served.put(event.getId(), new Served(event.getRequest().getUrl(), System.nanoTime(), Served.RUNNING, 0, false));
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            Integer delay = event.getResponseDefinition().getFixedDelayMilliseconds();
            long answered = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay == null ? 0 : delay);
            served.computeIfPresent(event.getId(), (id, s) -> new Served(s.url(), s.startNanos(), answered, 0, false));
        }

        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            long end = System.nanoTime();
            int status = event.getResponse() == null ? 0 : event.getResponse().getStatus();
            served.computeIfPresent(event.getId(), (id, s) -> new Served(s.url(), s.startNanos(),
                    Math.min(s.answeredNanos(), end), status, true));
        }
    }

    /** WireMock's console chatter would bury the scoreboard. */
    private static final class Quiet implements Notifier {

        @Override
        public void info(String message) {
        }

        @Override
        public void error(String message) {
        }

        @Override
        public void error(String message, Throwable t) {
        }
    }
}
