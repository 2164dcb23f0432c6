package ch02_downloads;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Virtual threads, but no more than maxInFlight requests at once: a semaphore's permits. */
public class PoliteDownloader implements Downloader {

    private final int maxInFlight;
    private final HttpClient client;

    public PoliteDownloader(int maxInFlight, HttpClient client) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        Objects.requireNonNull(sites, "sites");
        long start = System.nanoTime();
        Semaphore permits = new Semaphore(maxInFlight);
        List<Download> downloads = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> bodies = new ArrayList<>();
            for (URI site : sites) {
                bodies.add(threads.submit(() -> {
                    permits.acquire(); // before sending: at most maxInFlight get past here
                    try {
                        return Http.get(client, site);
                    } finally {
                        permits.release(); // also when the site failed
                    }
                }));
            }
            for (int i = 0; i < sites.size(); i++) {
                try {
                    downloads.add(new Download(sites.get(i), bodies.get(i).get().length));
                } catch (ExecutionException e) {
                    failures.add(new Failure(sites.get(i), Http.reason(e)));
                } catch (InterruptedException stop) {
                    threads.shutdownNow(); // the caller is asked to stop: so are the downloads still running
                    throw stop;
                }
            }
        }
        return new DownloadReport(downloads, failures, Duration.ofNanos(System.nanoTime() - start));
    }
}
