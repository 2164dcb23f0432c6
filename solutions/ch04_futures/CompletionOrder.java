package ch04_futures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One task per URL on a pool of its own; the futures are taken as they complete (the
 * CompletionService is Python's {@code as_completed}), and a failed one is reported there, in
 * its turn, without stopping the loop.
 */
public class CompletionOrder {

    public static List<String> downloadAll(List<URI> urls, Path dir, int workers, HttpClient client) {
        Objects.requireNonNull(urls, "urls");
        urls.forEach(url -> Objects.requireNonNull(url, "urls must not contain null"));
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(client, "client");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        // close() at the end of the try is Python's "with": shut down, and wait until every thread has ended.
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            CompletionService<String> finished = new ExecutorCompletionService<>(pool);
            Map<Future<String>, URI> urlOf = new HashMap<>();
            for (URI url : urls) {
                urlOf.put(finished.submit(() -> download(url, dir, client)), url);
            }
            List<String> messages = new ArrayList<>();
            try {
                for (int done = 0; done < urls.size(); done++) {
                    Future<String> next = finished.take();
                    try {
                        messages.add(next.get());
                    } catch (ExecutionException failed) {
                        messages.add("Failed " + urlOf.get(next) + ": " + failed.getCause().getMessage());
                    }
                }
            } catch (InterruptedException interrupted) {
                pool.shutdownNow(); // interrupt the downloads: close() would wait for them to finish
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while downloading");
            }
            return messages;
        }
    }

    /** Saves {@code url} in {@code dir} under the last segment of its path; the message for as_completed. */
    private static String download(URI url, Path dir, HttpClient client) throws IOException, InterruptedException {
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!name.contains(".")) {
            throw new IllegalArgumentException("URL does not contain an extension");
        }
        Path file = dir.resolve(name);
        HttpResponse<Path> response = client.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofFile(file));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(file);
            throw new IOException("HTTP " + response.statusCode());
        }
        return "Finished downloading " + name;
    }
}
