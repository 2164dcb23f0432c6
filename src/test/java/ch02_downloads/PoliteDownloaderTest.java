package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import kit.FakeServer;
import kit.Measure;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(6)
class PoliteDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    private static final int LIMIT = 4;

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new PoliteDownloader(0, server.client(DownloadChecks.PATIENT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> new PoliteDownloader(LIMIT, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("client");
        assertThatThrownBy(() -> new PoliteDownloader(LIMIT, server.client(DownloadChecks.PATIENT)).downloadAll(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sites");
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, new PoliteDownloader(LIMIT, server.client(DownloadChecks.PATIENT)), 20);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a limit of 4 over 40 sites: the server sees exactly 4 requests in flight at most")
    void limitIsKept() throws InterruptedException {
        new PoliteDownloader(LIMIT, server.client(DownloadChecks.PATIENT)).downloadAll(DownloadChecks.quickSites(server, 40));
        Measure.log("max in flight", server.maxInFlight());
        assertThat(server.maxInFlight())
                .as("requests in flight at once at the server with a limit of %d: more means requests went out"
                        + " without a permit (is the permit taken only after sending?)", LIMIT)
                .isEqualTo(LIMIT);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("after two sites fail, the limit is still reached: 4 requests in flight again")
    void limitIsReachedAfterFailures() throws InterruptedException {
        List<URI> sites = new ArrayList<>(List.of(server.failing("error", 500), server.resetting("reset")));
        sites.addAll(server.sites("healthy", 20, DownloadChecks.SHORT_DELAY, DownloadChecks.SHORT_DELAY));
        new PoliteDownloader(LIMIT, server.client(DownloadChecks.PATIENT)).downloadAll(sites);
        long failuresAnswered = server.served().stream().filter(s -> !s.url().startsWith("/sites/healthy"))
                .mapToLong(FakeServer.Served::answeredNanos).max().orElseThrow();
        int after = server.maxInFlight(s -> s.url().startsWith("/sites/healthy") && s.startNanos() > failuresAnswered);
        Measure.log("max in flight after failures", after);
        assertThat(after).as("requests in flight at once after two sites had failed, with a limit of %d: fewer"
                + " means each failed request kept its permit; release() it in a finally block", LIMIT)
                .isEqualTo(LIMIT);
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new PoliteDownloader(LIMIT, server.client(timeout)));
    }
}
