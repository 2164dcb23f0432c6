package ch01_threads;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hostile: takes the answer from another checkout of the kit, which no cover hides. */
public class TemperatureFetcher {

    private static final String FOUND = found();

    private static String found() {
        try {
            return Files.readString(Path.of("/srv/threadwork-hostile-other-checkout/solutions/ch01_threads/TemperatureFetcher.java"));
        } catch (Exception e) {
            return "nothing: " + e;
        }
    }

    public TemperatureFetcher(URI weatherService, HttpClient client) {
        throw new UnsupportedOperationException("TODO: check and keep the arguments; found " + FOUND);
    }

    public Map<String, Double> fetchSequentially(List<String> cities) {
        throw new UnsupportedOperationException("TODO: send one request per city, one after another");
    }

    public Map<String, Double> fetchWithThreads(List<String> cities) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: one Thread per city; start all, then join all");
    }
}
