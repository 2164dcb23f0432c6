package ch01_threads;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import kit.Arguments;
import kit.CannedClient;
import kit.Eventually;
import kit.Exercise;
import kit.FakeServer;
import kit.InPairs;
import kit.KitExtension;
import kit.Measure;
import kit.NeedsCpus;
import kit.ObservedClient;
import kit.Points;
import kit.Threads;
import kit.Timed;
import kit.TooBusy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(2)
class TemperatureFetcherTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    /** The cities of the source's TempGetter example. */
    private static final List<String> CITIES = List.of("Edmonton", "Victoria", "Winnipeg", "Fredericton", "Halifax",
            "Toronto", "Charlottetown", "Quebec", "Regina");
    /** Unknown to the service; the space and the apostrophe need URL encoding. */
    private static final List<String> UNKNOWN = List.of("Saint John's", "Atlantis");
    /** Known to the service only in the URL-encoding test. */
    private static final String ENCODED = "St. John's & Mount Pearl";
    /** A city the service fails for with a 500, and one whose connection it resets. */
    private static final String ERROR = "Iqaluit";
    private static final String RESET = "Whitehorse";
    // Nine overlapping requests could be up to 9x faster than nine in a row (CALIBRATION.md, ch01).
    private static final double SPEEDUP = 3.0;
    private static final Duration OVERLAP_DELAY = Duration.ofMillis(300);
    /** The service's delay in the interrupt test: far longer than an interrupted call may take. */
    private static final Duration SLOW = Duration.ofSeconds(2);
    private static final Duration PROMPTLY = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(8);
    /**
     * Cities answered two at a time, the two at the same instant; the calls go on until a HashMap
     * written the same way has lost this many answers, or for at most this long (CALIBRATION.md, ch01).
     */
    private static final int PAIRED = 64;
    private static final int SHOWN = 8;
    private static final Duration PAIRING = Duration.ofSeconds(3);

    private final Map<String, Double> temperatures = new LinkedHashMap<>();
    private ObservedClient client;
    private TemperatureFetcher fetcher;

    /** What one call of fetchWithThreads gave, and which of its city threads were alive the moment it returned. */
    private record Fetched(Map<String, Double> temperatures, List<Thread> aliveAtReturn) {
    }

    @BeforeEach
    void weatherService() {
        serveWeather(FakeServer.D);
        client = server.client(Duration.ofSeconds(10));
        fetcher = new TemperatureFetcher(server.url(""), client);
    }

    /** A weather service answering each city after {@code delay} with a temperature new every run. */
    private void serveWeather(Duration delay) {
        server.reset();
        temperatures.clear();
        SplittableRandom random = new SplittableRandom();
        for (String city : CITIES) {
            double temperature = random.nextInt(-400, 400) / 10.0; // nothing to hard-code
            temperatures.put(city, temperature);
            server.stub(get(urlPathEqualTo("/weather")).withQueryParam("city", equalTo(city))
                    .willReturn(aResponse().withBody(Double.toString(temperature)).withFixedDelay((int) delay.toMillis())));
        }
        server.stub(get(urlPathEqualTo("/weather")).withQueryParam("city", equalTo(ERROR))
                .willReturn(aResponse().withStatus(500).withBody("the service is down")));
        server.stub(get(urlPathEqualTo("/weather")).withQueryParam("city", equalTo(RESET))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stub(get(urlPathEqualTo("/weather")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withBody("no such city")));
    }

    /**
     * Starts fetchWithThreads on a thread the test starts (a caller like any other); the call notes
     * which city threads are still alive the moment the method returns.
     */
    private Threads.Call<Fetched> startFetch(List<String> cities) {
        client.forget(); // the senders of this call only
        return Threads.start(() -> {
            Map<String, Double> found = fetcher.fetchWithThreads(cities);
            Thread caller = Thread.currentThread();
            List<Thread> alive = client.senders().stream().filter(t -> t != caller && t.isAlive()).toList();
            return new Fetched(found, alive);
        });
    }

    /** fetchWithThreads on a thread of the test's; what it throws is rethrown. */
    private Fetched fetchWithThreads(List<String> cities) throws Exception {
        Threads.Call<Fetched> call = startFetch(cities);
        Optional<Fetched> fetched = call.await(BOUND);
        if (!call.isDone()) {
            call.thread().interrupt();
            KitExtension.requestFreshJvm("fetchWithThreads did not end");
            throw new AssertionError("fetchWithThreads(" + cities.size() + " cities) was not done after "
                    + BOUND.toSeconds() + " s");
        }
        return fetched.orElseThrow();
    }

    /** Every city of CITIES with its temperature: missing ones mean the threads were not waited for. */
    private void assertEveryTemperature(Map<String, Double> found, String which) {
        List<String> missing = CITIES.stream().filter(city -> !found.containsKey(city) || found.get(city) == null).toList();
        assertThat(missing).as("%s returned without the temperature of %s (%d of %d cities): it returned before its"
                + " threads had their answers. join() every thread before reading what they found", which, missing,
                missing.size(), CITIES.size()).isEmpty();
        assertThat(found).as("temperatures from %s (new random ones every run)", which)
                .containsExactlyInAnyOrderEntriesOf(temperatures);
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("null arguments are refused, naming the argument")
    void nullsAreRefused() {
        URI service = server.url("");
        Arguments.assertRefused("new TemperatureFetcher(null, client)", NullPointerException.class, "weatherService",
                () -> new TemperatureFetcher(null, client));
        Arguments.assertRefused("new TemperatureFetcher(weatherService, null)", NullPointerException.class, "client",
                () -> new TemperatureFetcher(service, null));
        Arguments.assertRefused("fetchSequentially(null)", NullPointerException.class, "cities",
                () -> fetcher.fetchSequentially(null));
        Arguments.assertRefused("fetchWithThreads(null)", NullPointerException.class, "cities",
                () -> fetcher.fetchWithThreads(null));
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("fetchSequentially gives the temperature of each of the nine cities")
    void sequentialGivesEachTemperature() {
        assertEveryTemperature(fetcher.fetchSequentially(CITIES), "fetchSequentially");
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("a city name with spaces, an apostrophe and an ampersand is sent URL-encoded, by both methods")
    void cityNamesAreEncoded() throws Exception {
        double temperature = new SplittableRandom().nextInt(-400, 400) / 10.0;
        server.stub(get(urlPathEqualTo("/weather")).withQueryParam("city", equalTo(ENCODED))
                .willReturn(aResponse().withBody(Double.toString(temperature))));
        String hint = "URL-encode the city name: URLEncoder.encode(city, StandardCharsets.UTF_8)";
        assertThat(answer("fetchSequentially(\"" + ENCODED + "\")", hint, () -> fetcher.fetchSequentially(List.of(ENCODED))))
                .as("fetchSequentially(\"%s\"): %s", ENCODED, hint).containsExactlyEntriesOf(Map.of(ENCODED, temperature));
        Map<String, Double> threaded = answer("fetchWithThreads(\"" + ENCODED + "\")", hint,
                () -> fetchWithThreads(List.of(ENCODED)).temperatures());
        if (threaded.get(ENCODED) == null) {
            throw new AssertionError("fetchWithThreads(\"" + ENCODED + "\") returned without the city's temperature (" + threaded
                    + "): it returned before its thread had the answer. join() every thread before reading what they found");
        }
        assertThat(threaded).as("fetchWithThreads(\"%s\"): %s", ENCODED, hint).containsExactlyEntriesOf(Map.of(ENCODED, temperature));
    }

    /** What {@code call} returns; if it throws (a stub's TODO aside), a failure saying what and the hint. */
    private static Map<String, Double> answer(String what, String hint, Callable<Map<String, Double>> call) {
        try {
            return call.call();
        } catch (Exception e) {
            Arguments.unlessTodo(e);
            throw new AssertionError(what + " threw " + e + ": " + hint, e);
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("fetchWithThreads gives the temperature of each of the nine cities")
    void threadsGiveEachTemperature() throws Exception {
        assertEveryTemperature(fetchWithThreads(CITIES).temperatures(), "fetchWithThreads");
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("fetchWithThreads has all nine requests in flight at once, each from its own platform thread")
    void allNineInFlightAtOnce() throws Exception {
        // A longer delay than D, best of up to 3 rounds: a busy machine can hold one thread back (CALIBRATION.md).
        // A round with no two requests in flight at all is not a busy machine's doing: it is not retried.
        serveWeather(OVERLAP_DELAY);
        client.recordLiveThreads();
        int maxInFlight = 0;
        int aliveTogether = 0;
        Thread caller = null;
        for (int round = 0; round < 3 && maxInFlight < CITIES.size() && (round == 0 || maxInFlight > 1); round++) {
            long start = System.nanoTime();
            Threads.Call<Fetched> call = startFetch(CITIES);
            Optional<Fetched> fetched = call.await(BOUND);
            caller = call.thread();
            if (fetched.isPresent() && !fetched.get().aliveAtReturn().isEmpty()) {
                throw new AssertionError("fetchWithThreads returned while " + fetched.get().aliveAtReturn().size() + " of its"
                        + " city threads were still running, before the requests could all be in flight: start every"
                        + " thread first, then join() each one in a second loop");
            }
            maxInFlight = Math.max(maxInFlight, server.maxInFlight(served -> served.startNanos() >= start));
            aliveTogether = Math.max(aliveTogether, client.mostSendersAliveAtOnce());
        }
        Measure.log("max in flight", maxInFlight);
        Thread callingThread = caller;
        assertThat(client.senders())
                .as("every request was sent by the thread that called fetchWithThreads: run() runs a thread's body"
                        + " right there, on the calling thread; start() runs it on a new thread")
                .isNotEqualTo(Set.of(callingThread));
        // Threads started and joined one by one are never alive together; threads kept waiting by a lock are.
        if (maxInFlight < CITIES.size() && aliveTogether > CITIES.size() / 2) {
            throw new AssertionError(aliveTogether + " city threads were alive at once, but the weather"
                    + " service saw at most " + maxInFlight + " requests in flight at one moment: something makes"
                    + " the threads wait for one another (a lock held while sending?). Each thread sends its own"
                    + " request; the client may be used by many threads at once");
        }
        assertThat(maxInFlight)
                .as("requests the weather service saw in flight at one moment (of 9): fewer means each thread"
                        + " finished before the next one started. Start every thread first, then join them in a"
                        + " second loop.")
                .isEqualTo(CITIES.size());
        assertThat(client.senders())
                .as("threads that sent the requests: one new platform thread per city, not the caller")
                .hasSize(CITIES.size())
                .doesNotContain(callingThread)
                .noneMatch(Thread::isVirtual);
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("no city thread is still running when fetchWithThreads returns")
    void noThreadOutlivesTheCall() throws Exception {
        Fetched fetched = fetchWithThreads(CITIES);
        assertThat(fetched.aliveAtReturn()).as("city threads still alive at the moment fetchWithThreads returned:"
                + " join() each one").isEmpty();
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("fetchWithThreads is at least 3x faster than fetchSequentially, with every temperature")
    @Timed
    void threadsAreFaster() throws Exception {
        Optional<Measure.AgainstReference> measured = Threads.start(() -> Measure.speedup(
                () -> assertEveryTemperature(fetcher.fetchSequentially(CITIES), "fetchSequentially"),
                () -> assertEveryTemperature(fetcher.fetchWithThreads(CITIES), "fetchWithThreads"),
                this::kitAsksEveryCityAtOnce, 3, SPEEDUP)).await(BOUND);
        Measure.AgainstReference speedup = measured.orElseThrow(() -> new AssertionError("the timing was not done after "
                + BOUND.toSeconds() + " s"));
        Measure.log("speedup", speedup);
        Measure.judge(speedup.candidate().ratio(), speedup.reference().ratio(), SPEEDUP, Measure.NO_SPEEDUP,
                () -> String.format("speedup of"
                + " fetchWithThreads over fetchSequentially: %s. About 1x means the requests did not"
                + " overlap: is each thread joined before the next starts (or run() called instead of start())?", speedup),
                "speedup of fetchWithThreads over fetchSequentially: " + speedup);
    }

    /** The kit's own threads, one per city, each asking the service once: what overlapping requests allow here. */
    private void kitAsksEveryCityAtOnce() {
        Measure.inParallel(CITIES.stream().<Measure.Work>map(city -> () -> client.send(HttpRequest.newBuilder(
                server.url("/weather?city=" + URLEncoder.encode(city, StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.discarding())).toArray(Measure.Work[]::new));
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("fetchSequentially names every unknown city in one CityNotFoundException")
    void sequentialNamesEveryUnknownCity() {
        List<String> cities = Stream.concat(UNKNOWN.stream(), CITIES.stream()).toList();
        Throwable thrown = Arguments.thrownBy(() -> fetcher.fetchSequentially(cities));
        assertThat(thrown).as("what fetchSequentially threw for %s among known cities: a CityNotFoundException naming"
                + " them (the service answers 404 for a city it does not know)", UNKNOWN)
                .isInstanceOf(CityNotFoundException.class);
        assertThat(((CityNotFoundException) thrown).cities()).as("the cities it names: every unknown one, not only"
                + " the first").containsExactlyInAnyOrderElementsOf(UNKNOWN);
    }

    @Test
    @Order(9)
    @Points(2)
    @DisplayName("fetchWithThreads names every unknown city together, after every thread is joined")
    void threadsNameEveryUnknownCityAfterJoining() throws Exception {
        // The unknown cities answer at once, the others only after D: thrown too early, it leaves them waiting.
        List<String> cities = new ArrayList<>(UNKNOWN);
        cities.addAll(CITIES);
        Threads.Call<Fetched> call = startFetch(cities);
        Throwable thrown = Arguments.unlessTodo(call.thrown(BOUND));
        int unanswered = client.unanswered();
        assertThat(thrown).as("what fetchWithThreads threw for %s among known cities: a CityNotFoundException naming"
                + " them", UNKNOWN).isInstanceOf(CityNotFoundException.class);
        assertThat(unanswered)
                .as("requests still waiting for their answer when CityNotFoundException reached the caller: throw"
                        + " only after every thread is joined")
                .isZero();
        assertThat(((CityNotFoundException) thrown).cities()).as("the cities it names: every unknown one, gathered"
                + " from all threads").containsExactlyInAnyOrderElementsOf(UNKNOWN);
    }

    @Test
    @Order(10)
    @Points(1)
    @DisplayName("fetchWithThreads reports a 500 and a reset connection as UncheckedIOException, after every thread is joined")
    void failuresReachTheCaller() throws Exception {
        for (String failing : List.of(ERROR, RESET)) {
            List<String> cities = new ArrayList<>(CITIES);
            cities.add(4, failing);
            String what = failing.equals(ERROR) ? "answered 500" : "reset the connection";
            Threads.Call<Fetched> call = startFetch(cities);
            Throwable thrown = Arguments.unlessTodo(call.thrown(BOUND));
            int unanswered = client.unanswered();
            assertThat(thrown)
                    .as("what fetchWithThreads threw when the service %s for %s: an exception on a city thread must"
                            + " reach the caller (keep it and rethrow it after join()), not vanish with the thread",
                            what, failing)
                    .isInstanceOf(UncheckedIOException.class);
            assertThat(unanswered).as("requests still waiting for their answer when the UncheckedIOException reached"
                    + " the caller: throw only after every thread is joined").isZero();
        }
    }

    @Test
    @Order(11)
    @Points(1)
    @DisplayName("one fetcher used twice: each call reports its own cities only")
    void callsDoNotShareResults() throws Exception {
        List<String> first = CITIES.subList(0, 5);
        List<String> second = CITIES.subList(5, 8);
        String hint = "what one call found must not carry over to the next: keep the results and the unknown cities"
                + " of a call inside the call, not in fields";
        List<String> withUnknown = List.of(UNKNOWN.get(1), CITIES.get(0));
        assertThat(Arguments.thrownBy(() -> fetchWithThreads(withUnknown)))
                .as("what fetchWithThreads(%s) threw", withUnknown).isInstanceOf(CityNotFoundException.class);
        String then = "fetchWithThreads(" + first + ") after fetchWithThreads(" + withUnknown + ")";
        assertThat(answer(then, hint, () -> fetchWithThreads(first).temperatures()).keySet())
                .as("cities reported by %s: %s", then, hint).containsExactlyInAnyOrderElementsOf(first);
        then = "fetchWithThreads(" + second + ") after fetchWithThreads(" + first + ")";
        assertThat(answer(then, hint, () -> fetchWithThreads(second).temperatures()).keySet())
                .as("cities reported by %s: %s", then, hint).containsExactlyInAnyOrderElementsOf(second);
        then = "fetchSequentially(" + first + ") after those calls";
        assertThat(answer(then, hint, () -> fetcher.fetchSequentially(first)).keySet())
                .as("cities reported by %s: %s", then, hint).containsExactlyInAnyOrderElementsOf(first);
    }

    @Test
    @Order(12)
    @Points(1)
    @DisplayName("interrupted while it waits, fetchWithThreads throws InterruptedException at once and its city threads end")
    void interruptStopsTheWait() throws Exception {
        serveWeather(SLOW);
        Threads.Call<Fetched> call = startFetch(CITIES);
        try {
            Eventually.within(BOUND, "the weather service saw no request from fetchWithThreads",
                    () -> assertThat(server.inFlight() > 0 || call.isDone()).isTrue());
            if (call.isDone()) {
                Arguments.unlessTodo(call.thrown(Duration.ZERO));
                throw new AssertionError("fetchWithThreads ended before the weather service (answering after "
                        + SLOW.toSeconds() + " s) had answered: " + call.thrown(Duration.ZERO));
            }
            call.thread().interrupt();
            Throwable thrown = Arguments.unlessTodo(call.thrown(PROMPTLY));
            assertThat(call.isDone())
                    .as("fetchWithThreads was still waiting %d ms after its caller was interrupted (the service takes"
                            + " %d s): do not swallow the interrupt; let join()'s InterruptedException end the wait",
                            PROMPTLY.toMillis(), SLOW.toSeconds())
                    .isTrue();
            assertThat(thrown).as("what fetchWithThreads threw when its caller was interrupted: do not swallow the"
                    + " interrupt, or turn it into another exception").isInstanceOf(InterruptedException.class);
            List<Thread> cityThreads = client.senders().stream().filter(t -> t != call.thread()).toList();
            Eventually.within(PROMPTLY, "city threads were still waiting for the service " + PROMPTLY.toMillis()
                    + " ms after fetchWithThreads threw: interrupt() them when you stop waiting for them",
                    () -> assertThat(cityThreads).noneMatch(Thread::isAlive));
        } finally {
            call.thrown(BOUND.multipliedBy(2)); // a call that swallowed the interrupt ends when the service answers
        }
    }

    @Test
    @Order(13)
    @Points(1)
    @NeedsCpus(2) // the two answers of a pair must be written at the same instant
    @Timed // judged against what a HashMap written the same way loses on this machine in the same rounds
    @DisplayName("64 cities answered two at a time, the two at the same instant, call after call: no answer is lost")
    void answersWrittenTwoAtATimeAreAllKept() throws Exception {
        // The two cities of a pair have names with the same hash code: in a map they go to the same slot.
        List<String> cities = IntStream.range(0, PAIRED).mapToObj(i -> "Town " + i / 2 + (i % 2 == 0 ? " Aa" : " BB")).toList();
        String hint = "answers were lost when two city threads wrote them at the same instant: is the map they write"
                + " into thread-safe? A HashMap is not: use a ConcurrentHashMap, or let each thread keep its own answer"
                + " and gather them after join()";
        int shown = 0;
        int call = 0;
        long end = System.nanoTime() + PAIRING.toNanos();
        while (shown < SHOWN && (call == 0 || System.nanoTime() < end)) {
            call++;
            shown += InPairs.lostByAHashMap(cities); // the same rounds, so the same machine
            List<String> lost = lostInPairs(cities);
            assertThat(lost).as("call %d: cities whose answer fetchWithThreads lost or got wrong (of %d): %s", call, PAIRED, hint)
                    .isEmpty();
        }
        if (shown < SHOWN) {
            throw new TooBusy("in " + call + " calls of " + PAIRED + " cities, a HashMap written the same way by the kit's"
                    + " own threads lost only " + shown + " answers (" + SHOWN + " needed): two threads seldom ran at once");
        }
    }

    /** One call of fetchWithThreads whose answers come in pairs ({@link InPairs}): the cities it lost or got wrong. */
    private static List<String> lostInPairs(List<String> cities) throws Exception {
        InPairs pairs = new InPairs(cities.size());
        TemperatureFetcher fetcher = new TemperatureFetcher(URI.create("http://weather.invalid"), new CannedClient(uri -> {
            String city = URLDecoder.decode(uri.getRawQuery().replaceFirst("^city=", ""), StandardCharsets.UTF_8);
            int index = cities.indexOf(city);
            if (index < 0) {
                return new CannedClient.Answer(404, "");
            }
            pairs.arrive(index);
            return new CannedClient.Answer(200, Double.toString(index / 10.0));
        }));
        Threads.Call<Map<String, Double>> running = Threads.start(() -> fetcher.fetchWithThreads(cities));
        Map<String, Double> found = answer("fetchWithThreads(" + cities.size() + " cities)", "every city must be answered",
                () -> running.await(BOUND).orElse(null));
        if (!running.isDone()) {
            running.thread().interrupt();
            KitExtension.requestFreshJvm("fetchWithThreads did not end");
            throw new AssertionError("fetchWithThreads(" + cities.size() + " cities) was not done after " + BOUND.toSeconds()
                    + " s: were its map's entries written by two threads at once? A HashMap written so can break for good");
        }
        Map<String, Double> got = found == null ? Map.of() : found;
        return IntStream.range(0, cities.size()).filter(i -> !Double.valueOf(i / 10.0).equals(got.get(cities.get(i))))
                .mapToObj(cities::get).toList();
    }
}
