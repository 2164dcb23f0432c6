package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import kit.Arguments;
import kit.Exercise;
import kit.FakeServer;
import kit.Measure;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Exercise(6)
class PoliteDownloaderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    /** Two limits, so that a number written in the code cannot pass: neither is a 1- or 2-CPU machine's CPU count. */
    private static final int LIMIT = 4;
    private static final int OTHER_LIMIT = 3;
    /** The slow site of the batch check, and the longest a free permit may stay unused while sites wait. */
    private static final Duration SLOW_SITE = Duration.ofMillis(600);
    // Permits handed on at once leave gaps of a few ms; batches leave ~580 ms (CALIBRATION.md, ch02).
    private static final Duration LONGEST_IDLE = Duration.ofMillis(200);

    private static PoliteDownloader downloader(int limit) {
        return new PoliteDownloader(limit, server.client(DownloadChecks.PATIENT));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("new PoliteDownloader(0, client)", IllegalArgumentException.class, "maxInFlight",
                () -> new PoliteDownloader(0, server.client(DownloadChecks.PATIENT)));
        Arguments.assertRefused("new PoliteDownloader(-3, client)", IllegalArgumentException.class, "maxInFlight",
                () -> new PoliteDownloader(-3, server.client(DownloadChecks.PATIENT)));
        Arguments.assertRefused("new PoliteDownloader(4, null)", NullPointerException.class, "client",
                () -> new PoliteDownloader(LIMIT, null));
        Arguments.assertRefused("downloadAll(null)", NullPointerException.class, "sites",
                () -> downloader(LIMIT).downloadAll(null));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("every site is downloaded, reported in input order")
    void downloadsEverySiteInOrder() throws InterruptedException {
        DownloadChecks.assertEverySiteInOrder(server, downloader(LIMIT), 20);
    }

    private int inFlight(int limit, int sites) throws InterruptedException {
        return DownloadChecks.mostInFlight(server, limit, () -> downloader(limit).downloadAll(
                DownloadChecks.quickSites(server, sites)));
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("the server sees exactly maxInFlight requests in flight at most: 4, and 3")
    void limitIsKept() throws InterruptedException {
        int four = inFlight(LIMIT, 24);
        int three = inFlight(OTHER_LIMIT, 18);
        Measure.log("max in flight with limits 4 and 3", four + ", " + three);
        String hint = four == three && (four == LIMIT || four == OTHER_LIMIT)
                ? "the same for both: the limit must follow maxInFlight, not a number written in the code"
                : four > LIMIT || three > OTHER_LIMIT
                ? "more than the limit means requests went out without a permit (is the permit taken only after sending?)"
                : "fewer than the limit: the limit must follow maxInFlight, and every permit be used";
        assertThat(List.of(four, three)).as("requests in flight at once at the server: %d with a limit of %d, %d with"
                + " a limit of %d: %s", four, LIMIT, three, OTHER_LIMIT, hint).containsExactly(LIMIT, OTHER_LIMIT);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("after two sites fail, the limit is still reached: 4 requests in flight again")
    void limitIsReachedAfterFailures() throws InterruptedException {
        List<URI> sites = new ArrayList<>(List.of(server.failing("error", 500), server.resetting("reset")));
        sites.addAll(server.sites("healthy", 20, DownloadChecks.SHORT_DELAY, DownloadChecks.SHORT_DELAY));
        server.drawLimit(LIMIT);
        downloader(LIMIT).downloadAll(sites);
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
    @DisplayName("a free permit is used at once: quick sites keep going while a slow one is in flight")
    void noBatches() throws InterruptedException {
        List<URI> sites = new ArrayList<>(List.of(server.site("slow", SLOW_SITE)));
        sites.addAll(server.sites("quick", 20, Duration.ofMillis(20), Duration.ofMillis(20)));
        downloader(OTHER_LIMIT).downloadAll(sites);
        Duration idle = longestIdle(server.served(), OTHER_LIMIT);
        Measure.log("longest idle permit", idle.toMillis() + " ms");
        assertThat(idle).as("with a limit of %d, a %d ms site and 20 quick ones, the server saw fewer than %d requests"
                + " in flight for %d ms while sites were still waiting to start: work started in batches waits for"
                + " its slowest site. Let each site take a permit as soon as one is free (a Semaphore), not in"
                + " batches", OTHER_LIMIT, SLOW_SITE.toMillis(), OTHER_LIMIT, idle.toMillis())
                .isLessThanOrEqualTo(LONGEST_IDLE);
    }

    /** The longest stretch, before the last request started, with fewer than {@code limit} requests in flight. */
    private static Duration longestIdle(List<FakeServer.Served> served, int limit) {
        long lastStart = served.stream().mapToLong(FakeServer.Served::startNanos).max().orElseThrow();
        TreeSet<Long> moments = new TreeSet<>();
        for (FakeServer.Served s : served) {
            moments.add(s.startNanos());
            if (s.answeredNanos() < lastStart) {
                moments.add(s.answeredNanos());
            }
        }
        long longest = 0;
        long idleSince = -1;
        for (long t : moments) {
            long inFlight = served.stream().filter(s -> s.startNanos() <= t && t < s.answeredNanos()).count();
            if (inFlight < limit && idleSince < 0) {
                idleSince = t;
            } else if (inFlight >= limit && idleSince >= 0) {
                longest = Math.max(longest, t - idleSince);
                idleSince = -1;
            }
        }
        if (idleSince >= 0) {
            longest = Math.max(longest, lastStart - idleSince);
        }
        return Duration.ofNanos(longest);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("a 500, a reset and a timeout are reported; every other site is still downloaded")
    void faultsAreReported() throws InterruptedException {
        DownloadChecks.assertFaultsReported(server, timeout -> new PoliteDownloader(LIMIT, server.client(timeout)));
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("one downloader used twice: each call works and reports its own sites only")
    void callsAreIndependent() throws Exception {
        DownloadChecks.assertCallsIndependent(server, downloader(LIMIT));
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("interrupted while it waits, downloadAll stops the downloads and throws InterruptedException at once")
    void interruptStops() throws Exception {
        DownloadChecks.assertInterruptStops(server, downloader(LIMIT));
    }
}
