package ch01_threads;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import kit.FakeServer;
import kit.Measure;
import kit.ObservedClient;
import kit.Exercise;
import kit.Points;
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
    // Nine overlapping requests could be up to 9x faster than nine in a row (CALIBRATION.md, ch01).
    private static final double SPEEDUP = 3.0;
    private static final Duration OVERLAP_DELAY = Duration.ofMillis(300);

    private final Map<String, Double> temperatures = new LinkedHashMap<>();
    private ObservedClient client;
    private TemperatureFetcher fetcher;

    @BeforeEach
    void weatherService() {
        serveWeather(FakeServer.D);
        client = server.client(Duration.ofSeconds(10));
        fetcher = new TemperatureFetcher(server.url(""), client);
    }

    /** A weather service answering each city after {@code delay} with a temperature new every run. */
    private void serveWeather(Duration delay) {
        server.reset();
        SplittableRandom random = new SplittableRandom();
        for (String city : CITIES) {
            double temperature = random.nextInt(-400, 400) / 10.0; // nothing to hard-code
            temperatures.put(city, temperature);
            server.stub(get(urlPathEqualTo("/weather")).withQueryParam("city", equalTo(city))
                    .willReturn(aResponse().withBody(Double.toString(temperature)).withFixedDelay((int) delay.toMillis())));
        }
        server.stub(get(urlPathEqualTo("/weather")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withBody("no such city")));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("null arguments are refused, naming the argument")
    void nullsAreRefused() {
        URI service = server.url("");
        assertThatThrownBy(() -> new TemperatureFetcher(null, client)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("weatherService");
        assertThatThrownBy(() -> new TemperatureFetcher(service, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("client");
        assertThatThrownBy(() -> fetcher.fetchSequentially(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("cities");
        assertThatThrownBy(() -> fetcher.fetchWithThreads(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("cities");
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("fetchSequentially gives the temperature of each of the nine cities")
    void sequentialGivesEachTemperature() {
        assertThat(fetcher.fetchSequentially(CITIES)).as("temperatures (new random ones every run)")
                .containsExactlyInAnyOrderEntriesOf(temperatures);
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("fetchWithThreads gives the temperature of each of the nine cities")
    void threadsGiveEachTemperature() throws InterruptedException {
        assertThat(fetcher.fetchWithThreads(CITIES)).as("temperatures (new random ones every run)")
                .containsExactlyInAnyOrderEntriesOf(temperatures);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("fetchWithThreads has all nine requests in flight at once, each from its own platform thread")
    void allNineInFlightAtOnce() throws InterruptedException {
        // A longer delay than D, best of up to 3 rounds: a busy machine can hold one thread back (CALIBRATION.md).
        serveWeather(OVERLAP_DELAY);
        int maxInFlight = 0;
        for (int round = 0; round < 3 && maxInFlight < CITIES.size(); round++) {
            client.forget(); // the senders of this round only
            long start = System.nanoTime();
            fetcher.fetchWithThreads(CITIES);
            maxInFlight = Math.max(maxInFlight, server.maxInFlight(served -> served.startNanos() >= start));
        }
        Measure.log("max in flight", maxInFlight);
        assertThat(maxInFlight)
                .as("requests the weather service saw in flight at one moment (of 9): 1 means each thread finished"
                        + " before the next one started. Start every thread first, then join them in a second loop.")
                .isEqualTo(CITIES.size());
        assertThat(client.senders())
                .as("threads that sent the requests: one new platform thread per city, not the caller")
                .hasSize(CITIES.size())
                .doesNotContain(Thread.currentThread())
                .noneMatch(Thread::isVirtual);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("no city thread is still running when fetchWithThreads returns")
    void noThreadOutlivesTheCall() throws InterruptedException {
        fetcher.fetchWithThreads(CITIES);
        assertThat(client.senders()).as("city threads still alive after fetchWithThreads returned: join() each one")
                .isNotEmpty().noneMatch(Thread::isAlive);
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("fetchWithThreads is at least 3x faster than fetchSequentially")
    void threadsAreFaster() throws Exception {
        Measure.Speedup speedup = Measure.speedup(() -> fetcher.fetchSequentially(CITIES),
                () -> fetcher.fetchWithThreads(CITIES), 3);
        Measure.log("speedup", speedup);
        assertThat(speedup.ratio())
                .as("speedup of fetchWithThreads over fetchSequentially, best of 3 rounds: %s. About 1x means the"
                        + " requests did not overlap: is each thread joined before the next starts?", speedup)
                .isGreaterThanOrEqualTo(SPEEDUP);
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("fetchSequentially names every unknown city in one CityNotFoundException")
    void sequentialNamesEveryUnknownCity() {
        List<String> cities = Stream.concat(UNKNOWN.stream(), CITIES.stream()).toList();
        CityNotFoundException thrown = catchThrowableOfType(CityNotFoundException.class,
                () -> fetcher.fetchSequentially(cities));
        assertThat(thrown).as("CityNotFoundException for %s", UNKNOWN).isNotNull();
        assertThat(thrown.cities()).as("the cities it names: every unknown one, not only the first")
                .containsExactlyInAnyOrderElementsOf(UNKNOWN);
    }

    @Test
    @Order(8)
    @Points(2)
    @DisplayName("fetchWithThreads names every unknown city together, after every thread is joined")
    void threadsNameEveryUnknownCityAfterJoining() {
        // The unknown cities answer at once, the others only after D: thrown too early, it leaves them waiting.
        List<String> cities = new ArrayList<>(UNKNOWN);
        cities.addAll(CITIES);
        CityNotFoundException thrown = catchThrowableOfType(CityNotFoundException.class,
                () -> fetcher.fetchWithThreads(cities));
        int unanswered = client.unanswered();
        assertThat(thrown).as("CityNotFoundException for %s", UNKNOWN).isNotNull();
        assertThat(unanswered)
                .as("requests still waiting for their answer when CityNotFoundException reached the caller: throw"
                        + " only after every thread is joined")
                .isZero();
        assertThat(thrown.cities()).as("the cities it names: every unknown one, gathered from all threads")
                .containsExactlyInAnyOrderElementsOf(UNKNOWN);
    }
}
