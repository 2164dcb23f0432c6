package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import kit.FakeServer;
import kit.Measure;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(3)
class ThreadPoolDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    private static final int WORKERS = 5;
    private static final int SITES = 40;
    // 20 sites at 50 ms each: 5 workers could be 5x faster than one after another (CALIBRATION.md, ch02).
    private static final double SPEEDUP = 3.0;

    /** Every session the downloader opened, in the order it opened them. */
    private final List<Session> opened = new CopyOnWriteArrayList<>();

    private Supplier<Session> sessions(Duration timeout) {
        return () -> {
            Session session = new Session(server.client(timeout));
            opened.add(session);
            return session;
        };
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new ThreadPoolDownloader(0, sessions(DownloadChecks.PATIENT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> new ThreadPoolDownloader(WORKERS, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sessions");
        assertThatThrownBy(() -> new ThreadPoolDownloader(WORKERS, sessions(DownloadChecks.PATIENT)).downloadAll(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sites");
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, new ThreadPoolDownloader(WORKERS, sessions(DownloadChecks.PATIENT)), SITES);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("5 workers over 40 sites: the server sees exactly 5 requests in flight at most")
    void fiveInFlight() throws InterruptedException {
        new ThreadPoolDownloader(WORKERS, sessions(DownloadChecks.PATIENT)).downloadAll(DownloadChecks.quickSites(server, SITES));
        Measure.log("max in flight", server.maxInFlight());
        assertThat(server.maxInFlight())
                .as("requests in flight at once at the server with %d workers: 1 means each task was waited for"
                        + " before the next was submitted (future.get() inside the loop that submits?)", WORKERS)
                .isEqualTo(WORKERS);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("one session per worker thread: 5 opened for 40 sites, all closed at the end")
    void oneSessionPerWorker() throws InterruptedException {
        new ThreadPoolDownloader(WORKERS, sessions(DownloadChecks.PATIENT)).downloadAll(DownloadChecks.quickSites(server, SITES));
        assertThat(opened).as("sessions opened for %d sites by %d workers: one per request wastes them, one for"
                + " all is used by two threads at once; keep one per thread in a ThreadLocal", SITES, WORKERS)
                .hasSize(WORKERS);
        assertThat(opened).as("sessions still open after downloadAll returned: close every one you opened")
                .allMatch(Session::isClosed);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("5 workers are at least 3x faster than the sequential downloader")
    void fasterThanSequential() throws Exception {
        List<URI> sites = DownloadChecks.quickSites(server, 20);
        Measure.Speedup speedup = Measure.speedup(
                () -> new SequentialDownloader(sessions(DownloadChecks.PATIENT)).downloadAll(sites),
                () -> new ThreadPoolDownloader(WORKERS, sessions(DownloadChecks.PATIENT)).downloadAll(sites), 3);
        Measure.log("speedup", speedup);
        assertThat(speedup.ratio()).as("speedup of %d workers over one after another, best of 3 rounds: %s. About 1x"
                + " means the downloads did not overlap", WORKERS, speedup).isGreaterThanOrEqualTo(SPEEDUP);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new ThreadPoolDownloader(WORKERS, sessions(timeout)));
    }
}
