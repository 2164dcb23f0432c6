package ch01_threads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The TempGetter example: one platform thread per city, all started, then all joined. */
public class TemperatureFetcher {

    private final URI weatherService;
    private final HttpClient client;

    public TemperatureFetcher(URI weatherService, HttpClient client) {
        this.weatherService = Objects.requireNonNull(weatherService, "weatherService");
        this.client = Objects.requireNonNull(client, "client");
    }

    public Map<String, Double> fetchSequentially(List<String> cities) {
        Objects.requireNonNull(cities, "cities");
        Map<String, Double> temperatures = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String city : cities) {
            Double temperature = fetch(city);
            if (temperature == null) {
                unknown.add(city);
            } else {
                temperatures.put(city, temperature);
            }
        }
        if (!unknown.isEmpty()) {
            throw new CityNotFoundException(unknown);
        }
        return temperatures;
    }

    public Map<String, Double> fetchWithThreads(List<String> cities) throws InterruptedException {
        Objects.requireNonNull(cities, "cities");
        // Filled by the city threads; read after join(), which makes their writes visible.
        Map<String, Double> found = new ConcurrentHashMap<>();
        Map<String, Boolean> unknown = new ConcurrentHashMap<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (String city : cities) {
            threads.add(new Thread(() -> {
                try {
                    Double temperature = fetch(city);
                    if (temperature == null) {
                        unknown.put(city, true);
                    } else {
                        found.put(city, temperature);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "temperature-" + city));
        }
        for (Thread thread : threads) {
            thread.start(); // all at once: the waiting overlaps
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException stop) {
            threads.forEach(Thread::interrupt); // the caller is asked to stop: so are its city threads
            for (Thread thread : threads) {
                thread.join();
            }
            throw stop;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        List<String> missing = cities.stream().filter(unknown::containsKey).toList();
        if (!missing.isEmpty()) {
            throw new CityNotFoundException(missing);
        }
        Map<String, Double> inOrder = new LinkedHashMap<>();
        cities.forEach(city -> inOrder.put(city, found.get(city)));
        return inOrder;
    }

    /** The city's temperature, or null if the service does not know it. */
    private Double fetch(String city) {
        URI uri = weatherService.resolve("/weather?city=" + URLEncoder.encode(city, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> Double.valueOf(response.body().strip());
                case 404 -> null;
                default -> throw new UncheckedIOException(new IOException("HTTP " + response.statusCode() + " for " + city));
            };
        } catch (IOException e) {
            throw new UncheckedIOException("asking for " + city + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for " + city, e);
        }
    }
}
