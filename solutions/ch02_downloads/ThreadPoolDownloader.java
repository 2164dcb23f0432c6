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
            List<Future<byte[]>> bodies = new ArrayList<>();
            for (URI site : sites) {
                bodies.add(pool.submit(() -> session.get().get(site))); // submit all before waiting for any
            }
            for (int i = 0; i < sites.size(); i++) {
                try {
                    downloads.add(new Download(sites.get(i), bodies.get(i).get().length));
                } catch (ExecutionException e) {
                    failures.add(new Failure(sites.get(i), Http.reason(e)));
                } catch (InterruptedException stop) {
                    pool.shutdownNow(); // the caller is asked to stop: so are the downloads still running
                    throw stop;
                }
            }
        } finally {
            // The pool is closed (shut down, its tasks done) before the sessions it used.
            opened.forEach(Session::close);
        }
        return new DownloadReport(downloads, failures, Duration.ofNanos(System.nanoTime() - start));
    }
}
