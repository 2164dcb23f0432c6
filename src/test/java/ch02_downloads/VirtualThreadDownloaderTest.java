package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import kit.FakeServer;
import kit.ObservedClient;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(5)
class VirtualThreadDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("null arguments are refused, naming the argument")
    void nullsAreRefused() {
        assertThatThrownBy(() -> new VirtualThreadDownloader(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("client");
        assertThatThrownBy(() -> new VirtualThreadDownloader(server.client(DownloadChecks.PATIENT)).downloadAll(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sites");
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, new VirtualThreadDownloader(server.client(DownloadChecks.PATIENT)), 20);
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
                .allMatch(Thread::isVirtual)
                .hasSize(sites.size());
    }

    @Test
    @Order(4)
    @Points(3)
    @DisplayName("160 sites: at least 100 requests in flight at once, all done in a small multiple of the delay")
    void crowdOverlaps() throws Exception {
        DownloadChecks.assertCrowdOverlaps(
                DownloadChecks.crowd(server, new VirtualThreadDownloader(server.client(DownloadChecks.PATIENT))));
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new VirtualThreadDownloader(server.client(timeout)));
    }
}
