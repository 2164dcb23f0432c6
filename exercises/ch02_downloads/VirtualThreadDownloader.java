package ch02_downloads;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

/**
 * Exercise 5: one virtual thread per site, all sharing one client, each simply blocking in
 * {@code send}. See README.md in this folder.
 */
public class VirtualThreadDownloader implements Downloader {

    /**
     * @param client sends every request; an HttpClient may be shared by many threads
     * @throws NullPointerException if {@code client} is null
     */
    public VirtualThreadDownloader(HttpClient client) {
        throw new UnsupportedOperationException("TODO: check the argument (Objects.requireNonNull(client, \"client\")) and keep it");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: start one virtual thread per site, then collect in input order");
    }
}
