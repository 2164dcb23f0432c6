package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import kit.Arguments;
import kit.Exercise;
import kit.FakeServer;
import kit.ObservedClient;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(5)
class VirtualThreadDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    private static VirtualThreadDownloader downloader() {
        return new VirtualThreadDownloader(server.client(DownloadChecks.PATIENT));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("null arguments are refused, naming the argument")
    void nullsAreRefused() {
        Arguments.assertRefused("new VirtualThreadDownloader(null)", NullPointerException.class, "client",
                () -> new VirtualThreadDownloader(null));
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
    @DisplayName("each request is sent from a virtual thread of its own")
    void requestsRunOnVirtualThreads() throws InterruptedException {
        List<URI> sites = server.sites("site", 20);
        ObservedClient client = server.client(DownloadChecks.PATIENT);
        new VirtualThreadDownloader(client).downloadAll(sites);
        assertThat(client.senders()).as("threads that sent the %d requests: each a virtual thread"
                + " (Thread.ofVirtual() or Executors.newVirtualThreadPerTaskExecutor())", sites.size())
                .allMatch(Thread::isVirtual);
        assertThat(client.senders()).as("virtual threads that sent the %d requests: one of its own for each site,"
                + " not a few shared by all", sites.size()).hasSize(sites.size());
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
        DownloadChecks.assertFaultsReported(server, timeout -> new VirtualThreadDownloader(server.client(timeout)));
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
