package ch02_downloads;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Downloader#downloadAll} did: the sites downloaded and the sites that failed, each
 * list in the order the sites were given, and how long it took.
 */
public record DownloadReport(List<Download> downloads, List<Failure> failures, Duration elapsed) {

    public DownloadReport {
        downloads = List.copyOf(downloads);
        failures = List.copyOf(failures);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** All the bytes downloaded. */
    public long totalBytes() {
        return downloads.stream().mapToLong(Download::bytes).sum();
    }
}
