package ch02_downloads;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

/**
 * Exercise 4: download without a thread per request: {@code sendAsync} for every site, from the
 * calling thread, then wait for them all with {@code CompletableFuture.allOf}. No request is sent
 * with the blocking {@code send}. See README.md in this folder.
 */
public class AsyncDownloader implements Downloader {

    /**
     * @param client sends every request
     * @throws NullPointerException if {@code client} is null
     */
    public AsyncDownloader(HttpClient client) {
        throw new UnsupportedOperationException("TODO: check the argument (Objects.requireNonNull(client, \"client\")) and keep it");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: sendAsync every site first, then wait for allOf them");
    }
}
