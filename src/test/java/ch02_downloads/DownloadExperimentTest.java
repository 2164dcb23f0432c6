package ch02_downloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kit.FakeServer;
import kit.Measure;
import kit.Demonstration;
import kit.KitExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source's experiment in Java: the same sites with each strategy, timed side by side. */
@ExtendWith(KitExtension.class)
class DownloadExperimentTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    private static final int SITES = 20;
    private static final Duration DELAY = Duration.ofMillis(25);

    private record Strategy(String name, Measure.Work run) {
    }

    @Test
    @Demonstration
    @DisplayName("the source's experiment: 20 sites with each strategy, seconds and speedup (information, no points)")
    void experiment() throws Exception {
        List<URI> sites = server.sites("site", SITES, DELAY, DELAY);
        DownloadReport sequential = new SequentialDownloader(() -> new Session(server.client(DownloadChecks.PATIENT)))
                .downloadAll(sites);
        assertThat(sequential.downloads()).as("sites the sequential baseline downloaded").hasSize(SITES);
        List<Strategy> strategies = List.of(
                new Strategy("thread pool of 5", () -> new ThreadPoolDownloader(5,
                        () -> new Session(server.client(DownloadChecks.PATIENT))).downloadAll(sites)),
                new Strategy("async (sendAsync)", () -> new AsyncDownloader(server.client(DownloadChecks.PATIENT))
                        .downloadAll(sites)),
                new Strategy("virtual threads", () -> new VirtualThreadDownloader(server.client(DownloadChecks.PATIENT))
                        .downloadAll(sites)),
                new Strategy("polite, 4 at once", () -> new PoliteDownloader(4, server.client(DownloadChecks.PATIENT))
                        .downloadAll(sites)));
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-20s %6s %8s %8s", "strategy", "sites", "seconds", "speedup"));
        rows.add(row("sequential", sequential.elapsed(), sequential.elapsed()));
        for (Strategy strategy : strategies) {
            try {
                rows.add(row(strategy.name(), Measure.time(strategy.run()), sequential.elapsed()));
            } catch (UnsupportedOperationException notYet) {
                rows.add(String.format("%-20s %6d %s", strategy.name(), SITES, "  not done yet"));
            }
        }
        String table = String.format("Each site answers after %d ms.%n", DELAY.toMillis()) + String.join("\n", rows);
        System.out.println(table);
        Measure.log("strategy table", "\n" + table);
    }

    private static String row(String name, Duration time, Duration sequential) {
        return String.format("%-20s %6d %8.2f %7.1fx", name, SITES, time.toNanos() / 1e9,
                (double) sequential.toNanos() / time.toNanos());
    }
}
