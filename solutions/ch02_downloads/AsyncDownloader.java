package ch02_downloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The source's asyncio program: every request sent at once, no thread waits for one. */
public class AsyncDownloader implements Downloader {

    private final HttpClient client;

    public AsyncDownloader(HttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        Objects.requireNonNull(sites, "sites");
        long start = System.nanoTime();
        List<CompletableFuture<byte[]>> bodies = new ArrayList<>();
        for (URI site : sites) {
            bodies.add(client.sendAsync(Http.request(site), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> {
                        try {
                            return Http.body(site, response);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
        }
        try {
            CompletableFuture.allOf(bodies.toArray(CompletableFuture[]::new)).get(); // waits for every one
        } catch (ExecutionException someFailed) {
            // each failed site is reported below; the others are still downloaded
        } catch (InterruptedException e) {
            // Stop what is still running: the client's futures, and the stages made from them, cancel
            // their exchange when cancelled (HttpClient.sendAsync's implementation note).
            bodies.forEach(body -> body.cancel(true));
            throw e;
        }
        List<Download> downloads = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            try {
                downloads.add(new Download(sites.get(i), bodies.get(i).get().length));
            } catch (ExecutionException e) {
                failures.add(new Failure(sites.get(i), Http.reason(e)));
            }
        }
        return new DownloadReport(downloads, failures, Duration.ofNanos(System.nanoTime() - start));
    }
}
