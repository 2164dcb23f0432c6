package ch02_downloads;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

/**
 * Exercise 6: virtual threads, but never more than {@code maxInFlight} requests at once: a
 * {@code Semaphore} with that many permits, taken before each request and always given back. A
 * site starts as soon as a permit is free (not in batches that wait for their slowest site).
 * See README.md in this folder.
 */
public class PoliteDownloader implements Downloader {

    /**
     * @param maxInFlight the most requests in flight at any moment
     * @param client sends every request
     * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
     * @throws NullPointerException if {@code client} is null
     */
    public PoliteDownloader(int maxInFlight, HttpClient client) {
        throw new UnsupportedOperationException("TODO: check the arguments (maxInFlight at least 1, client not null: name the argument) and keep them");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: a virtual thread per site; acquire a permit before sending, release it in finally");
    }
}
