package ch02_downloads;

import java.net.URI;
import java.util.List;

/** Downloads many sites. Every downloader of this chapter keeps this contract. */
public interface Downloader {

    /**
     * Downloads every site, in any order, but reports them in input order: a site that fails (an
     * HTTP error status, a reset connection, a timeout) becomes a {@link Failure} with a reason,
     * and every other site is still downloaded. A site may appear many times; each time counts.
     * A downloader may be called many times: each report holds that call's sites only, and every
     * thread the call started has ended when it returns or throws.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits: the
     *         downloads still running are stopped and the call ends at once (an interrupt is not a
     *         failed site)
     * @throws NullPointerException if {@code sites} is null
     */
    DownloadReport downloadAll(List<URI> sites) throws InterruptedException;
}
