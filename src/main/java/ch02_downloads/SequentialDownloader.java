package ch02_downloads;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The baseline: one site after another, with one session, like the source's first program.
 * Every other downloader of the chapter is measured against it.
 */
public final class SequentialDownloader implements Downloader {

    private final Supplier<Session> sessions;

    /** @param sessions opens a session; this downloader opens one per call of {@link #downloadAll} */
    public SequentialDownloader(Supplier<Session> sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        Objects.requireNonNull(sites, "sites");
        long start = System.nanoTime();
        List<Download> downloads = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        try (Session session = sessions.get()) {
            for (URI site : sites) {
                try {
                    downloads.add(new Download(site, session.get(site).length));
                } catch (IOException e) {
                    failures.add(new Failure(site, Http.reason(e)));
                }
            }
        }
        return new DownloadReport(downloads, failures, Duration.ofNanos(System.nanoTime() - start));
    }
}
