package ch02_downloads;

import java.net.URI;
import java.util.List;

/** Downloads many sites. Every downloader of this chapter keeps this contract. */
public interface Downloader {

    /**
     * Downloads every site, in any order, but reports them in input order: a site that fails (an
     * HTTP error status, a reset connection, a timeout) becomes a {@link Failure} with a reason,
     * and every other site is still downloaded. A site may appear many times; each time counts.
     *
     * @throws NullPointerException if {@code sites} is null
     */
    DownloadReport downloadAll(List<URI> sites) throws InterruptedException;
}
