// Mutant: reports results in the order they finish, not in input order
package ch02_downloads;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** The source's thread pool of 5 with a thread-local session, in Java. */
public class ThreadPoolDownloader implements Downloader {

    private final int workers;
    private final Supplier<Session> sessions;

    public ThreadPoolDownloader(int workers, Supplier<Session> sessions) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.workers = workers;
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        Objects.requireNonNull(sites, "sites");
        long start = System.nanoTime();
        Queue<Session> opened = new ConcurrentLinkedQueue<>();
        // One session per worker thread, opened the first time that thread needs it.
        ThreadLocal<Session> session = ThreadLocal.withInitial(() -> {
            Session fresh = sessions.get();
            opened.add(fresh);
            return fresh;
        });
        List<Download> downloads = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            java.util.concurrent.CompletionService<Download> done = new java.util.concurrent.ExecutorCompletionService<>(pool);
            for (URI site : sites) {
                done.submit(() -> new Download(site, session.get().get(site).length));
            }
            for (int i = 0; i < sites.size(); i++) {
                try {
                    downloads.add(done.take().get()); // whichever finished first
                } catch (ExecutionException e) {
                    failures.add(new Failure(sites.get(i), Http.reason(e)));
                }
            }
        } finally {
            // The pool is closed (shut down, its tasks done) before the sessions it used.
            opened.forEach(Session::close);
        }
        return new DownloadReport(downloads, failures, Duration.ofNanos(System.nanoTime() - start));
    }
}
