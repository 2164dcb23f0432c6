package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kit.FakeServer;
import kit.Measure;
import kit.Threads;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(4)
class AsyncDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    private static final int SITES = 80;
    // Platform threads started while downloading 80 sites; the test's client and the fake server
    // start theirs beforehand (CALIBRATION.md, ch02).
    private static final long FEW_THREADS = SITES / 5;

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("null arguments are refused, naming the argument")
    void nullsAreRefused() {
        assertThatThrownBy(() -> new AsyncDownloader(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("client");
        assertThatThrownBy(() -> new AsyncDownloader(server.client(DownloadChecks.PATIENT)).downloadAll(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sites");
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, new AsyncDownloader(server.client(DownloadChecks.PATIENT)), 20);
    }

    @Test
    @Order(3)
    @Points(3)
    @DisplayName("160 sites: at least 100 requests in flight at once, all done in a small multiple of the delay")
    void crowdOverlaps() throws Exception {
        DownloadChecks.assertCrowdOverlaps(
                DownloadChecks.crowd(server, new AsyncDownloader(server.client(DownloadChecks.PATIENT))));
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("80 sites without a thread per request: few platform threads started")
    void fewThreads() throws Exception {
        List<URI> sites = DownloadChecks.quickSites(server, SITES);
        AsyncDownloader downloader = new AsyncDownloader(server.client(DownloadChecks.PATIENT));
        Optional<Long> started = Threads.callWithin(Duration.ofSeconds(8),
                () -> Measure.platformThreadsStarted(() -> downloader.downloadAll(sites)));
        assertThat(started).as("downloading %d sites was not done after 8 s", sites.size()).isPresent();
        Measure.log("platform threads started", started.get());
        assertThat(started.get()).as("platform threads started while downloading %d sites: sendAsync needs no"
                + " thread of yours per request", sites.size()).isLessThanOrEqualTo(FEW_THREADS);
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new AsyncDownloader(server.client(timeout)));
    }
}
