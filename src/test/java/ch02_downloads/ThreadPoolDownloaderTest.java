package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Exercise;
import kit.FakeServer;
import kit.Measure;
import kit.Points;
import kit.Timed;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(3)
class ThreadPoolDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    /** The source's 5 workers, and a second size: neither is the CPU count of a 1- or 2-CPU machine. */
    private static final int WORKERS = 5;
    private static final int FEW_WORKERS = 3;
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

    private ThreadPoolDownloader downloader(int workers) {
        return new ThreadPoolDownloader(workers, sessions(DownloadChecks.PATIENT));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Supplier<Session> sessions = sessions(DownloadChecks.PATIENT);
        Arguments.assertRefused("new ThreadPoolDownloader(0, sessions)", IllegalArgumentException.class, "workers",
                () -> new ThreadPoolDownloader(0, sessions));
        Arguments.assertRefused("new ThreadPoolDownloader(-2, sessions)", IllegalArgumentException.class, "workers",
                () -> new ThreadPoolDownloader(-2, sessions));
        Arguments.assertRefused("new ThreadPoolDownloader(5, null)", NullPointerException.class, "sessions",
                () -> new ThreadPoolDownloader(WORKERS, null));
        Arguments.assertRefused("downloadAll(null)", NullPointerException.class, "sites",
                () -> new ThreadPoolDownloader(WORKERS, sessions).downloadAll(null));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, downloader(WORKERS), SITES);
    }

    /** The most requests in flight at once while {@code workers} workers download {@code sites} quick sites. */
    private int inFlight(int workers, int sites) throws InterruptedException {
        return DownloadChecks.mostInFlight(server, workers, () -> downloader(workers).downloadAll(
                DownloadChecks.quickSites(server, sites)));
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("the server sees exactly as many requests in flight at most as there are workers: 5, and 3")
    void asManyInFlightAsWorkers() throws InterruptedException {
        int many = inFlight(WORKERS, 30);
        int few = inFlight(FEW_WORKERS, 18);
        Measure.log("max in flight with 5 and 3 workers", many + ", " + few);
        int cpus = Runtime.getRuntime().availableProcessors();
        String seen = String.format("with %d workers the server saw %d requests in flight at most, with %d workers %d",
                WORKERS, many, FEW_WORKERS, few);
        String hint;
        if (many == 1 && few == 1) {
            hint = "1 means each task was waited for before the next was submitted: is future.get() inside the loop"
                    + " that submits?" + (cpus == 1 ? " (Or is the pool sized to the CPU count, 1 here?)" : "");
        } else if (many == few && many == cpus) {
            hint = "both are this machine's CPU count: the pool has one thread per CPU; give it `workers` threads";
        } else if (many == few) {
            hint = "the same for both: the pool's size does not follow workers (a number written in the code?)";
        } else {
            hint = "a pool of exactly `workers` threads keeps exactly that many requests in flight";
        }
        assertThat(List.of(many, few)).as("%s: %s", seen, hint).containsExactly(WORKERS, FEW_WORKERS);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("one session per worker thread: 5 opened for 20 sites by 5 workers, 3 by 3, all closed at the end")
    void oneSessionPerWorker() throws InterruptedException {
        for (int workers : new int[] {WORKERS, FEW_WORKERS}) {
            opened.clear();
            downloader(workers).downloadAll(DownloadChecks.quickSites(server, 20));
            assertThat(opened).as("sessions opened for 20 sites by %d workers: one per request wastes them, one for"
                    + " all is used by two threads at once; keep one per thread in a ThreadLocal", workers)
                    .hasSize(workers);
            assertThat(opened).as("sessions still open after downloadAll returned: close every one you opened")
                    .allMatch(Session::isClosed);
        }
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("5 workers are at least 3x faster than the sequential downloader")
    @Timed
    void fasterThanSequential() throws Exception {
        List<URI> sites = DownloadChecks.quickSites(server, 20);
        Measure.AgainstReference speedup = Measure.speedup(
                () -> new SequentialDownloader(sessions(DownloadChecks.PATIENT)).downloadAll(sites),
                () -> assertThat(downloader(WORKERS).downloadAll(sites).downloads()).hasSize(sites.size()),
                () -> Measure.inParallel(IntStream.range(0, WORKERS).<Measure.Work>mapToObj(w -> () -> new SequentialDownloader(
                        sessions(DownloadChecks.PATIENT)).downloadAll(sites.subList(w * sites.size() / WORKERS,
                        (w + 1) * sites.size() / WORKERS))).toArray(Measure.Work[]::new)), 3, SPEEDUP);
        Measure.log("speedup", speedup);
        Measure.judge(speedup.candidate().ratio(), speedup.reference().ratio(), SPEEDUP, Measure.NO_SPEEDUP,
                () -> String.format("speedup of"
                + " %d workers over one after another: %s. About 1x means the downloads did not"
                + " overlap", WORKERS, speedup), "speedup of " + WORKERS + " workers: " + speedup);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new ThreadPoolDownloader(WORKERS, sessions(timeout)));
        assertThat(opened).as("sessions still open after downloadAll returned: close every one you opened, also when"
                + " sites failed").allMatch(Session::isClosed);
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("one downloader used twice: each call works and reports its own sites only")
    void callsAreIndependent() throws Exception {
        DownloadChecks.assertCallsIndependent(server, downloader(WORKERS));
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("interrupted while it waits, downloadAll stops the downloads and throws InterruptedException at once")
    void interruptStops() throws Exception {
        DownloadChecks.assertInterruptStops(server, downloader(WORKERS));
    }
}
