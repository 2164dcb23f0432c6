package ch04_futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kit.Arguments;
import kit.Eventually;
import kit.FakeServer;
import kit.ObservedClient;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's five forms, served by the fake server with random bytes. In the order tests the
 * first is the slowest and the others finish STEP apart; the order expected is the one the
 * server observed, so that a request that arrived late under load does not count as a mistake.
 */
@Exercise(11)
class CompletionOrderTest {

    @RegisterExtension
    static final FakeServer server = new FakeServer();

    /** Time between two downloads finishing in the order tests. */
    private static final Duration STEP = Duration.ofMillis(200);
    /**
     * Two files the server finished sending less than this apart may be reported in either order:
     * the client's threads wake late on a loaded machine (CALIBRATION.md, ch04).
     */
    private static final Duration MARGIN = STEP.dividedBy(2);
    private static final Duration OVERLAP = Duration.ofMillis(400);
    /** How long threads that were told to stop (shut down, interrupted) may take to end. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final List<String> FORMS = List.of("f1040.pdf", "f1040a.pdf", "f1040ez.pdf", "f1040es.pdf", "f1040sb.pdf");

    @TempDir
    Path dir;

    private final ObservedClient client = server.client(Duration.ofSeconds(10)); // closed by the server after each test

    /** The forms, each answered after {@code delay}. */
    private List<URI> forms(Duration delay) {
        return FORMS.stream().map(name -> server.site(name, delay)).toList();
    }

    /** The forms, the first finishing last: delays of 5, 1, 2, 3 and 4 STEPs. */
    private List<URI> staggeredForms() {
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < FORMS.size(); i++) {
            urls.add(server.site(FORMS.get(i), STEP.multipliedBy(i == 0 ? FORMS.size() : i)));
        }
        return urls;
    }

    /**
     * Checks that each message comes after the messages of everything that completed at least
     * {@link #MARGIN} before it: a download when the server finished sending it, a refused URL
     * at {@code start}.
     */
    private void assertCompletionOrder(List<String> messages, long start) {
        Map<String, Long> sentAt = new HashMap<>();
        server.served().forEach(s -> sentAt.put(s.url().substring(s.url().lastIndexOf('/') + 1), s.answeredNanos()));
        List<Long> completed = messages.stream()
                .map(m -> m.startsWith("Finished downloading ") ? sentAt.get(m.substring(21)) : start).toList();
        for (int later = 0; later < messages.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                long ahead = completed.get(earlier) - completed.get(later);
                if (ahead > MARGIN.toNanos()) {
                    fail("\"%s\" came before \"%s\", though the second was done %d ms earlier: are the futures"
                            + " read in the order they were submitted? Take each as it completes"
                            + " (ExecutorCompletionService.take()). All messages: %s", messages.get(earlier),
                            messages.get(later), ahead / 1_000_000, messages);
                }
            }
        }
    }

    private List<String> downloadAll(List<URI> urls, int workers) {
        try {
            return CompletionOrder.downloadAll(urls, dir, workers, client);
        } catch (UnsupportedOperationException todo) {
            throw todo; // the stub: the scoreboard says "not done yet"
        } catch (RuntimeException escaped) {
            return fail("downloadAll threw " + escaped + ": a failed download must be reported in its message"
                    + " (\"Failed <url>: ...\") inside the loop, and the loop go on to the next", escaped);
        }
    }

    /** What the server serves for each of {@code urls}, fetched again by the test, all at once. */
    private List<byte[]> served(List<URI> urls) {
        List<CompletableFuture<HttpResponse<byte[]>>> responses = urls.stream()
                .map(url -> client.sendAsync(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray()))
                .toList();
        return responses.stream().map(response -> response.join().body()).toList();
    }

    private static String finished(String name) {
        return "Finished downloading " + name;
    }

    private static String baseName(URI url) {
        return url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
    }

    /** How the message of a failed download is explained when its text is wrong; %s: how it failed. */
    private static final String WHY = "the message for a download that %s: \"Failed <url>: <why>\", where why is the"
            + " failure's own message (failed.getCause().getMessage(), not the ExecutionException's)";

    /** The message "Failed <url>: ..." for {@code url}, which {@code how} failed; fails if there is none. */
    private static String failureMessage(List<String> messages, URI url, String how) {
        String prefix = "Failed " + url + ": ";
        String message = messages.stream().filter(m -> m.startsWith(prefix)).findFirst().orElse(null);
        if (message == null && messages.contains(finished(baseName(url)))) {
            fail("%s was reported as \"%s\" though %s: any status other than 200 is a"
                    + " failure (check statusCode())", url, finished(baseName(url)), how);
        }
        if (message == null) {
            fail("no message \"%s...\" for a URL that %s. All messages: %s", prefix, how, messages);
        }
        return message;
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("every file is saved under its base name with the bytes the server sent")
    void filesAreSaved() throws IOException {
        List<URI> urls = forms(FakeServer.D);
        downloadAll(urls, 5);
        List<byte[]> bodies = served(urls);
        try (var saved = Files.list(dir)) {
            assertThat(saved.map(p -> p.getFileName().toString()).toList()).as("files in the download folder")
                    .containsExactlyInAnyOrderElementsOf(FORMS);
        }
        for (int i = 0; i < FORMS.size(); i++) {
            assertThat(Files.readAllBytes(dir.resolve(FORMS.get(i))))
                    .as("the bytes of %s (%,d served): a file is bytes, not text; save the body as it came (a"
                            + " BodyHandler to a file or a byte array)", FORMS.get(i), bodies.get(i).length)
                    .isEqualTo(bodies.get(i));
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("messages come in completion order: the slow first form is reported last")
    void messagesInCompletionOrder() {
        long start = System.nanoTime();
        List<String> messages = downloadAll(staggeredForms(), 5);
        assertThat(messages).as("messages, one per file")
                .containsExactlyInAnyOrderElementsOf(FORMS.stream().map(CompletionOrderTest::finished).toList());
        assertCompletionOrder(messages, start);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a URL without an extension (a dot in a folder's name is none) is reported as failed, and the others still finish")
    void urlWithoutExtension() {
        List<URI> urls = new ArrayList<>(staggeredForms());
        URI noExtension = server.site("f1040", STEP);
        URI dotInFolder = server.site("tax.year/f1040", STEP); // the dot is a folder's: the base name has none
        urls.add(1, noExtension);
        urls.add(3, dotInFolder);
        long start = System.nanoTime();
        List<String> messages = downloadAll(urls, 7);
        if (messages.contains(finished("f1040"))) {
            fail("%s was downloaded as f1040, though its base name (the last segment of the path) has no"
                    + " extension: the dot is in a folder's name. Look for the extension at the end of the base name,"
                    + " not anywhere in the path or the URL. All messages: %s", dotInFolder, messages);
        }
        assertThat(messages).as("messages when two URLs have no extension: one per URL, the others still finished")
                .hasSize(urls.size()).containsAll(FORMS.stream().map(CompletionOrderTest::finished).toList());
        for (URI refused : List.of(noExtension, dotInFolder)) {
            assertThat(failureMessage(messages, refused, "has no extension"))
                    .as(WHY, "has no extension").isEqualTo("Failed " + refused + ": URL does not contain an extension");
        }
        assertCompletionOrder(messages, start);
        assertThat(server.served()).as("requests the server saw: a URL without an extension is refused"
                + " before it is requested").noneMatch(s -> s.url().endsWith("/f1040"));
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("an HTTP error (404, 500) or a reset connection is reported as a failure and leaves no file")
    void everyFailureIsReported() {
        URI missing = server.failing("missing.pdf", 404);
        URI broken = server.failing("broken.pdf", 500);
        URI reset = server.resetting("reset.pdf");
        URI form = server.site("f1040.pdf");
        List<String> messages = downloadAll(List.of(form, missing, broken, reset), 4);
        assertThat(messages).as("messages for a form, a 404, a 500 and a reset connection: one per URL").hasSize(4);
        assertThat(messages).as("messages: the form that was served").contains(finished("f1040.pdf"));
        Map<URI, String> answered = Map.of(missing, "the server answered 404", broken,
                "the server answered 500", reset, "the server reset the connection");
        for (URI failed : List.of(missing, broken, reset)) {
            String message = failureMessage(messages, failed, answered.get(failed));
            String prefix = "Failed " + failed + ": ";
            String name = baseName(failed);
            if (failed != reset) {
                String status = failed == missing ? "404" : "500";
                assertThat(message).as(WHY, answered.get(failed)).isEqualTo(prefix + "HTTP " + status);
            } else {
                assertThat(message.substring(prefix.length())).as("why the reset download failed, after \"%s\"", prefix)
                        .isNotBlank();
            }
            assertThat(dir.resolve(name)).as("the file of a failed download (%s): delete what was saved", failed)
                    .doesNotExist();
        }
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("the downloads run at once, as many as there are workers")
    void workersDownloadAtOnce() {
        // Long enough that requests sent at once overlap at the server even when threads start late.
        for (int workers : new int[] {5, 2}) {
            server.reset();
            server.drawLimit(workers);
            downloadAll(forms(OVERLAP), workers);
            assertThat(server.maxInFlight()).as("requests the server saw in flight at once with %d workers and %d"
                    + " files: is the pool sized by workers?", workers, FORMS.size()).isEqualTo(workers);
        }
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("no pool thread is left when downloadAll returns")
    void poolIsShutDown() {
        downloadAll(List.of(server.site("f1040.pdf"), server.failing("missing.pdf", 404)), 2);
        Set<Thread> senders = client.senders();
        assertThat(senders).as("threads that sent the requests").isNotEmpty();
        Eventually.within(GRACE, "pool threads still alive after downloadAll returned: shut down your pool (in a"
                + " finally), whatever kind of threads it has", () -> assertThat(senders).noneMatch(Thread::isAlive));
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        List<URI> urls = List.of(server.site("f1040.pdf"));
        List<URI> withNull = new ArrayList<>(urls);
        withNull.add(null);
        Arguments.assertRefused("downloadAll(null, ...)", NullPointerException.class, "urls",
                () -> CompletionOrder.downloadAll(null, dir, 2, client));
        Arguments.assertRefused("downloadAll(urls with a null, ...)", NullPointerException.class, "urls",
                () -> CompletionOrder.downloadAll(withNull, dir, 2, client));
        Arguments.assertRefused("downloadAll(urls, null, ...)", NullPointerException.class, "dir",
                () -> CompletionOrder.downloadAll(urls, null, 2, client));
        Arguments.assertRefused("downloadAll(urls, dir, 0, client)", IllegalArgumentException.class, "workers",
                () -> CompletionOrder.downloadAll(urls, dir, 0, client));
        Arguments.assertRefused("downloadAll(urls, dir, 2, null)", NullPointerException.class, "client",
                () -> CompletionOrder.downloadAll(urls, dir, 2, null));
    }
}
