package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kit.Arguments;
import kit.Exercise;
import kit.FakeServer;
import kit.Measure;
import kit.ObservedClient;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(4)
class AsyncDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    private static final int SITES = 30;
    // Threads besides the caller that may send requests (a parallel stream's, say); a thread per
    // request is 30 (CALIBRATION.md, ch02). Counted per call, at this call's own client.
    private static final int FEW_SENDERS = 4;

    private static AsyncDownloader downloader() {
        return new AsyncDownloader(server.client(DownloadChecks.PATIENT));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("null arguments are refused, naming the argument")
    void nullsAreRefused() {
        Arguments.assertRefused("new AsyncDownloader(null)", NullPointerException.class, "client",
                () -> new AsyncDownloader(null));
        Arguments.assertRefused("downloadAll(null)", NullPointerException.class, "sites",
                () -> downloader().downloadAll(null));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, downloader(), 20);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("30 sites without a thread per request: every request goes out with sendAsync, from the caller")
    void noThreadPerRequest() throws Exception {
        List<URI> sites = DownloadChecks.quickSites(server, SITES);
        ObservedClient client = server.client(DownloadChecks.PATIENT);
        AsyncDownloader downloader = new AsyncDownloader(client);
        Threads.Call<DownloadReport> call = Threads.start(() -> downloader.downloadAll(sites));
        Optional<DownloadReport> report = call.await(Duration.ofSeconds(8));
        assertThat(call.isDone()).as("downloading %d sites was not done after 8 s", sites.size()).isTrue();
        List<Thread> others = client.senders().stream().filter(thread -> thread != call.thread()).toList();
        Measure.log("blocking sends, other senders", client.blockingSends() + ", " + others.size());
        assertThat(client.blockingSends()).as("requests sent with the blocking send(), each keeping a thread of"
                + " yours waiting (of %d): sendAsync needs no thread of yours per request; it returns a future at"
                + " once", sites.size()).isZero();
        assertThat(others.size()).as("threads besides the caller that sent requests (of %d): sendAsync needs no"
                + " thread of yours per request; send every request from the calling thread", sites.size())
                .isLessThanOrEqualTo(FEW_SENDERS);
        assertThat(report.orElseThrow().downloads()).as("sites downloaded").hasSize(sites.size());
    }

    @Test
    @Order(4)
    @Points(3)
    @DisplayName("160 sites: at least 100 requests in flight at once, all done in a small multiple of the delay")
    void crowdOverlaps() throws Exception {
        DownloadChecks.assertCrowdOverlaps(DownloadChecks.crowd(server, downloader()));
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new AsyncDownloader(server.client(timeout)));
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("one downloader used twice: each call works and reports its own sites only")
    void callsAreIndependent() throws Exception {
        DownloadChecks.assertCallsIndependent(server, downloader());
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("interrupted while it waits, downloadAll stops the downloads and throws InterruptedException at once")
    void interruptStops() throws Exception {
        DownloadChecks.assertInterruptStops(server, downloader());
    }
}
