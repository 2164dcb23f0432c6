package ch02_downloads;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * Exercise 3: download with a fixed pool of worker threads, each with a session of its own.
 *
 * <p>A pool of exactly {@code workers} threads. A {@link Session} is not thread-safe: give each
 * worker thread its own (a {@code ThreadLocal}), open only as many as there are workers, close them
 * all at the end, and shut the pool down, also when the call ends with an exception: its threads,
 * daemon or not, are gone when {@code downloadAll} returns. Each call has its own pool and sessions.
 * See README.md in this folder.
 */
public class ThreadPoolDownloader implements Downloader {

    /**
     * @param workers how many threads download at once
     * @param sessions opens a new session each time it is called
     * @throws IllegalArgumentException if {@code workers} is less than 1
     * @throws NullPointerException if {@code sessions} is null
     */
    public ThreadPoolDownloader(int workers, Supplier<Session> sessions) {
        throw new UnsupportedOperationException("TODO: check the arguments (workers at least 1, sessions not null: name the argument) and keep them");
    }

    @Override
    public DownloadReport downloadAll(List<URI> sites) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: submit every site to a fixed pool, then collect the futures in input order");
    }
}
