package ch01_threads;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

/**
 * Exercise 2: ask a weather service for the temperature of many cities, one after another and
 * then with one thread per city.
 *
 * <p>The service answers {@code GET {weatherService}/weather?city=<url-encoded name>} with the
 * temperature as a decimal string ({@code "-3.5"}), or 404 for a city it does not know. One
 * fetcher may be used for many calls: each call reports its own cities only. See README.md in
 * this folder.
 */
public class TemperatureFetcher {

    /**
     * @param weatherService the service's base address, e.g. {@code http://127.0.0.1:8080}
     * @param client the client to send every request with
     * @throws NullPointerException if an argument is null, naming it
     */
    public TemperatureFetcher(URI weatherService, HttpClient client) {
        throw new UnsupportedOperationException("TODO: check the arguments (Objects.requireNonNull(x, \"name\")) and keep them");
    }

    /**
     * The temperature of each city, asked one city after another.
     *
     * @throws CityNotFoundException naming every city the service does not know
     * @throws java.io.UncheckedIOException if a request fails otherwise (another error status, a
     *         reset connection)
     * @throws NullPointerException if {@code cities} is null
     */
    public Map<String, Double> fetchSequentially(List<String> cities) {
        throw new UnsupportedOperationException("TODO: send one request per city, one after another");
    }

    /**
     * The temperature of each city, with one platform thread per city: start them all, then join
     * them all. No city thread is still running when this method returns or throws.
     *
     * @throws CityNotFoundException naming every city the service does not know, once every thread is joined
     * @throws java.io.UncheckedIOException if a request fails otherwise (another error status, a
     *         reset connection), once every thread is joined
     * @throws InterruptedException if the calling thread is interrupted while it waits: interrupt
     *         the city threads too, wait for them, then throw
     * @throws NullPointerException if {@code cities} is null
     */
    public Map<String, Double> fetchWithThreads(List<String> cities) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: one Thread per city; start all, then join all");
    }
}
