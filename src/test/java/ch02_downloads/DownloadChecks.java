package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.Callable;
import kit.Arguments;
import kit.Eventually;
import kit.FakeServer;
import kit.KitExtension;
import kit.Measure;
import kit.Threads;

/** The checks every downloader of the chapter must pass, written once. */
final class DownloadChecks {

    /** A client timeout no healthy site comes near, even with two other builds running. */
    static final Duration PATIENT = Duration.ofSeconds(10);
    /** The client timeout of the fault checks, and how long the stalled site takes: well past it. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final Duration STALL = Duration.ofSeconds(2);

    /** The crowd: as many sites as the source's 160 downloads, each answering after CROWD_DELAY. */
    static final int CROWD = 160;
    // Long enough that 160 requests sent at once are all at the server together, even when a second
    // build delays some of them (CALIBRATION.md, ch02).
    static final Duration CROWD_DELAY = Duration.ofMillis(500);
    static final int CROWD_IN_FLIGHT = 100;
    static final Duration CROWD_TIME = CROWD_DELAY.multipliedBy(4);
    private static final Duration ROUND_BOUND = Duration.ofSeconds(8);

    private DownloadChecks() {
    }

    /** A short per-request delay, for tests that count rather than wait. */
    static final Duration SHORT_DELAY = Duration.ofMillis(50);

    /** Sites answering after random delays of 10-80 ms, so that they finish in another order than given. */
    static List<URI> shuffledFinish(FakeServer server, int count) {
        return server.sites("site", count, Duration.ofMillis(10), Duration.ofMillis(80));
    }

    /** Sites that each answer after {@link #SHORT_DELAY}. */
    static List<URI> quickSites(FakeServer server, int count) {
        return server.sites("site", count, SHORT_DELAY, SHORT_DELAY);
    }

    /** One download to watch at the server. */
    interface Run {
        void download() throws InterruptedException;
    }

    /**
     * The most requests in flight at once over up to 3 rounds of {@code round}, stopping at the first
     * that reaches {@code limit}: on a busy machine a thread can be kept off the CPU for a whole quick
     * request, and one round at the limit shows the code keeps it; more than the limit is never excused.
     */
    static int mostInFlight(FakeServer server, int limit, Run round) throws InterruptedException {
        int most = 0;
        for (int i = 0; i < 3 && most < limit; i++) {
            server.reset();
            server.drawLimit(limit);
            round.download();
            most = Math.max(most, server.maxInFlight());
        }
        return most;
    }

    /** {@code count} sites that finish in another order than given: each downloaded with its size, in input order. */
    static void assertEverySiteInOrder(FakeServer server, Downloader downloader, int count) throws InterruptedException {
        List<URI> sites = shuffledFinish(server, count);
        assertDownloadedInOrder(downloader.downloadAll(sites), sites, server);
    }

    /** Each site downloaded with its body's size, in input order; none failed. */
    private static void assertDownloadedInOrder(DownloadReport report, List<URI> sites, FakeServer server) {
        assertThat(report.failures()).as("sites reported as failed, though none of these fails%s",
                report.failures().isEmpty() ? "" : "; the first because " + report.failures().get(0).reason()).isEmpty();
        List<Download> expected = sites.stream().map(site -> new Download(site, server.size(site))).toList();
        if (report.downloads().size() == expected.size() && new HashSet<>(report.downloads()).equals(new HashSet<>(expected))) {
            assertThat(report.downloads())
                    .as("downloads in the order they finished, not in the order the sites were given: collect the"
                            + " results in the order you started them")
                    .containsExactlyElementsOf(expected);
        }
        assertThat(report.downloads()).as("downloads: each site with the size of its body (random every run), in"
                + " input order").containsExactlyElementsOf(expected);
    }

    /**
     * A 500, a reset connection and a stalled site among healthy ones: the three are reported as
     * failures, in input order, and every other site is downloaded. {@code downloader} makes the
     * downloader under test with a client that times out after the given duration.
     */
    static void assertFaultsReported(FakeServer server, Function<Duration, Downloader> downloader)
            throws InterruptedException {
        List<URI> healthy = server.sites("healthy", 8);
        URI error = server.failing("error", 500);
        URI reset = server.resetting("reset");
        URI stalled = server.stalling("stalled", STALL);
        List<URI> sites = new ArrayList<>(healthy);
        sites.add(1, error);
        sites.add(4, reset);
        sites.add(7, stalled);

        DownloadReport report = downloader.apply(TIMEOUT).downloadAll(sites);

        assertThat(report.downloads()).as("sites downloaded when three others failed (a 500, a reset, a timeout):"
                + " one failure must not stop the others").extracting(Download::site).containsExactlyElementsOf(healthy);
        assertThat(report.failures()).as("sites reported as failures, in input order").extracting(Failure::site)
                .containsExactly(error, reset, stalled);
        assertThat(report.failures().get(0).reason()).as("reason given for the site answering HTTP 500").contains("500");
        assertThat(report.failures().get(1).reason()).as("reason given for the site that reset the connection")
                .isNotBlank();
        assertThat(report.failures().get(2).reason().toLowerCase())
                .as("reason given for the site slower than the client's %d ms timeout", TIMEOUT.toMillis())
                .contains("timed out");
    }

    /** One round over the crowd: how many requests were at the server at once, and how long it took. */
    record Round(int maxInFlight, Duration elapsed) {

        boolean good() {
            return maxInFlight >= CROWD_IN_FLIGHT && elapsed.compareTo(CROWD_TIME) <= 0;
        }

        @Override
        public String toString() {
            return maxInFlight + " in flight at most, " + elapsed.toMillis() + " ms";
        }
    }

    /**
     * Downloads the crowd in up to three rounds, the first one cold, and returns the best round:
     * the first that meets the bounds (then no more rounds are run), else the one with the most
     * requests in flight. A round not done in {@link #ROUND_BOUND} fails with what the server saw.
     */
    static Round crowd(FakeServer server, Downloader downloader) throws Exception {
        List<URI> sites = server.sites("crowd", CROWD, CROWD_DELAY, CROWD_DELAY);
        Round best = null;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            Optional<DownloadReport> report = Threads.callWithin(ROUND_BOUND, () -> downloader.downloadAll(sites));
            int inFlight = server.maxInFlight(served -> served.startNanos() >= start);
            assertThat(report).as("downloading %d sites that each answer after %d ms was not done after %d s; the"
                    + " server saw at most %d requests in flight at once. Are all requests sent before any is"
                    + " waited for (no join() or get() inside the loop that sends)?", CROWD, CROWD_DELAY.toMillis(),
                    ROUND_BOUND.toSeconds(), inFlight).isPresent();
            assertThat(report.get().downloads()).as("sites downloaded of the %d%s", CROWD, round == 0 ? ""
                    : " in round " + (round + 1) + ", the same downloader's call number " + (round + 1) + ": more"
                    + " means what an earlier call downloaded carried over; keep what a call needs (its pool, its"
                    + " sessions, its results) inside the call, not in fields").hasSize(CROWD);
            Round measured = new Round(inFlight, Duration.ofNanos(System.nanoTime() - start));
            Measure.log("round " + round, measured);
            if (best == null || measured.good() || measured.maxInFlight() > best.maxInFlight()) {
                best = measured;
            }
            if (best.good()) {
                break;
            }
        }
        return best;
    }

    /** The crowd's best round had at least {@link #CROWD_IN_FLIGHT} requests in flight at once and took at most {@link #CROWD_TIME}. */
    static void assertCrowdOverlaps(Round best) {
        assertThat(best.maxInFlight()).as("requests in flight at once at the server, best round of %d sites that"
                + " each answer after %d ms (%s): only a few means they were sent one after another",
                CROWD, CROWD_DELAY.toMillis(), best).isGreaterThanOrEqualTo(CROWD_IN_FLIGHT);
        assertThat(best.elapsed()).as("time for %d sites that each answer after %d ms, best round (%s): all at once"
                + " takes little more than one delay", CROWD, CROWD_DELAY.toMillis(), best)
                .isLessThanOrEqualTo(CROWD_TIME);
    }

    /** Sites that take this long in the interrupt checks: far longer than an interrupted call may go on. */
    static final Duration SLOW = Duration.ofSeconds(2);
    static final Duration PROMPTLY = Duration.ofSeconds(1);
    /** An interrupted call's downloads stopped within this after it ended: well before a slow site answers by itself. */
    static final Duration STOPPED = Duration.ofMillis(500);
    private static final String OWN_CALL = "each call must work as the first did and report its own sites only: keep"
            + " what a call needs (its pool, its sessions, its results) inside the call, not in fields";

    /**
     * One downloader called twice: the second call, after a first one with a failing site, reports
     * exactly its own sites, in input order, and no failure.
     */
    static void assertCallsIndependent(FakeServer server, Downloader downloader) throws Exception {
        List<URI> first = new ArrayList<>(quickSites(server, 4));
        first.add(2, server.failing("first-error", 500));
        answer("the first downloadAll", () -> downloader.downloadAll(first));
        List<URI> second = server.sites("second", 6, Duration.ofMillis(10), Duration.ofMillis(40));
        DownloadReport report = answer("the second downloadAll on the same downloader", () -> downloader.downloadAll(second));
        assertThat(report.failures()).as("failures reported by the second call on the same downloader (none of its"
                + " sites fails; the first call had one): %s", OWN_CALL).isEmpty();
        assertThat(report.downloads()).as("downloads reported by the second call on the same downloader: its own %d"
                + " sites, in input order: %s", second.size(), OWN_CALL)
                .containsExactlyElementsOf(second.stream().map(site -> new Download(site, server.size(site))).toList());
    }

    private static DownloadReport answer(String what, Callable<DownloadReport> call) throws Exception {
        try {
            return call.call();
        } catch (RuntimeException e) {
            Arguments.unlessTodo(e);
            throw new AssertionError(what + " threw " + e + ": " + OWN_CALL, e);
        }
    }

    /**
     * downloadAll on a thread of the test's, over sites that each take {@link #SLOW}; once the
     * server sees a request, the caller is interrupted: the call must end at once with an
     * InterruptedException, the downloads still running stopped.
     */
    static void assertInterruptStops(FakeServer server, Downloader downloader) throws Exception {
        List<URI> sites = server.sites("slow", 8, SLOW, SLOW);
        Threads.Call<DownloadReport> call = Threads.start(() -> downloader.downloadAll(sites));
        try {
            Eventually.within(ROUND_BOUND, "the server saw no request from downloadAll",
                    () -> assertThat(server.inFlight() > 0 || call.isDone()).isTrue());
            if (call.isDone()) {
                Arguments.unlessTodo(call.thrown(Duration.ZERO));
                throw new AssertionError("downloadAll ended before any of its sites (each answering after "
                        + SLOW.toSeconds() + " s) could answer: " + call.thrown(Duration.ZERO));
            }
            long interrupted = System.nanoTime();
            call.thread().interrupt();
            Throwable thrown = Arguments.unlessTodo(call.thrown(PROMPTLY));
            boolean prompt = call.isDone();
            if (!prompt) {
                thrown = Arguments.unlessTodo(call.thrown(SLOW.multipliedBy(3)));
            }
            long took = Duration.ofNanos(System.nanoTime() - interrupted).toMillis();
            Measure.log("ms from interrupt to end", took);
            if (!call.isDone()) {
                KitExtension.requestFreshJvm("an interrupted downloadAll did not end");
                throw new AssertionError("downloadAll was still running " + took + " ms after its caller was"
                        + " interrupted (each site answers after " + SLOW.toSeconds() + " s): when interrupted, stop"
                        + " the downloads still running and throw InterruptedException");
            }
            if (thrown == null) {
                DownloadReport report = call.await(Duration.ZERO).orElseThrow();
                boolean reported = report.failures().stream().anyMatch(f -> f.reason().contains("Interrupted"));
                throw new AssertionError("downloadAll returned a report " + took + " ms after its caller was"
                        + " interrupted, instead of throwing InterruptedException: " + (reported
                        ? "an interrupt is not a failed site; let it propagate (and stop the downloads still running)"
                        : "it went on waiting as if nothing had happened. Wait in a way that answers an interrupt"
                        + " (Future.get() throws InterruptedException; CompletableFuture.join() does not)"));
            }
            if (!(thrown instanceof InterruptedException)) {
                throw new AssertionError("downloadAll threw " + thrown + " when its caller was interrupted: an"
                        + " interrupt is not a failed site; let the InterruptedException propagate", thrown);
            }
            assertThat(prompt).as("downloadAll threw InterruptedException only %d ms after its caller was interrupted,"
                    + " once the downloads still running had finished: stop them (shutdownNow()) before you rethrow"
                    + " it", took).isTrue();
            // Ending at once is half the promise: what it started must stop too, not answer unseen later.
            Eventually.within(STOPPED, "downloadAll threw InterruptedException at once, but its downloads were still"
                    + " running at the client " + STOPPED.toMillis() + " ms later (each site answers only after "
                    + SLOW.toSeconds() + " s): when interrupted, stop the downloads still running before you"
                    + " rethrow: cancel their futures, or shut down your pool with shutdownNow() (it interrupts"
                    + " them) and wait for it, in a finally",
                    () -> assertThat(server.unansweredAtClients()).as("requests sent and not answered, cancelled or"
                            + " failed at the client").isZero());
        } finally {
            call.thrown(SLOW.multipliedBy(3)); // a call that ignored the interrupt ends when its sites have answered
        }
    }
}
