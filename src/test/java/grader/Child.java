package grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kit.KitExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The test JVM's main: runs the tests the grader chose, run after run, each run's tests and
 * implementation in a class loader of its own, and reports every start and finish twice (its
 * journal and its standard error, see {@link Event}). Started, and started again after a crash,
 * by {@link Supervisor}; never by hand. It decides nothing about points or gradability.
 */
public final class Child {

    /** What the kit's timing checks throw when even the kit's own reference could not show what they need. */
    private static final String TOO_BUSY = kit.TooBusy.class.getName();

    /** Exit code that asks for a fresh JVM for the tests still to run. */
    static final int FRESH_JVM = 75;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file beside the journal where each test's observations go, one line per test (see {@link Observed}). */
    static final String OBSERVATIONS = "observations.jsonl";
    /** The most bytes of observations the grader takes from one test JVM (they are the untrusted JVM's to write). */
    static final long MAX_OBSERVED_BYTES = 4_000_000;

    /** What the grader asks of one test JVM. */
    record Spec(String journal, String order, String measurements, List<Run> runs) {
    }

    /** Tests to run against one implementation; {@code classpath}: the tests' and the implementation's classes. */
    record Run(int index, String label, List<String> classpath, List<String> tests, boolean failFast) {
    }

    public static void main(String[] args) throws Exception {
        // The nonce comes on standard input, never from a file the tested code could read.
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String nonce = stdin.readLine();
        if (args.length == 0) {
            // Started ahead (watch mode): the libraries' classes loaded while the student types, then the spec's path.
            warmUp();
        }
        String specPath = args.length > 0 ? args[0] : stdin.readLine();
        if (nonce == null || specPath == null) {
            halt(FRESH_JVM); // the grader went away before it gave us work
        }
        Spec spec = JSON.readValue(Path.of(specPath).toFile(), Spec.class);
        Reporter reporter = new Reporter(nonce, Path.of(spec.journal()));
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> System.err.println(
                "Exception in thread \"" + thread.getName() + "\": " + e + where(e)));
        System.setProperty("threadwork.measurements", spec.measurements());
        String base = System.getProperty("java.class.path");
        Listener listener = new Listener(reporter, Path.of(spec.journal()).resolveSibling(OBSERVATIONS));
        Runtime.getRuntime().addShutdownHook(new Thread(listener::jvmShutDown));
        for (Run run : spec.runs()) {
            listener.run = run;
            System.setProperty("java.class.path", base + File.pathSeparator + String.join(File.pathSeparator, run.classpath()));
            System.setProperty("threadwork.graded", run.label());
            StopAfterFailure.reset();
            try (URLClassLoader loader = new RunLoader(urls(run.classpath()), Child.class.getClassLoader())) {
                Thread.currentThread().setContextClassLoader(loader);
                Launcher launcher = LauncherFactory.create();
                String classOrder = spec.order().equals("reverse") ? ReverseOrder.class.getName() : LessonOrder.class.getName();
                String methodOrder = spec.order().equals("reverse") ? ReverseOrder.class.getName()
                        : "org.junit.jupiter.api.MethodOrderer$OrderAnnotation";
                // A fail-fast run's first test goes alone, before the others (a mutant's declared killer).
                List<List<String>> batches = run.failFast() && run.tests().size() > 1
                        ? List.of(run.tests().subList(0, 1), run.tests().subList(1, run.tests().size()))
                        : List.of(run.tests());
                for (List<String> batch : batches) {
                    if (StopAfterFailure.stopped()) {
                        break;
                    }
                    launcher.execute(LauncherDiscoveryRequestBuilder.request()
                            .selectors(batch.stream().map(DiscoverySelectors::selectUniqueId).toList())
                            .configurationParameter("junit.jupiter.testclass.order.default", classOrder)
                            .configurationParameter("junit.jupiter.testmethod.order.default", methodOrder)
                            // brings StopAfterFailure (META-INF/services), which skips the rest of a fail-fast run
                            .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                            .build(), listener);
                }
            } catch (Throwable unrecoverable) { // JUnit rethrows OutOfMemoryError and the like
                listener.abandonRunning("the test JVM failed: " + unrecoverable);
                halt(FRESH_JVM);
            }
            reporter.write(Event.runDone(run.index()));
        }
        reporter.write(Event.done());
        halt(0);
    }

    /**
     * Loads what every run needs from the JVM's own class path (JUnit's engine and launcher, the
     * assertion libraries), before any code of a submission is there: nothing of a run is touched.
     */
    private static void warmUp() {
        try {
            // A run's first steps rehearsed: reading a spec, and a test of the JVM's own run by JUnit.
            JSON.readValue("{\"journal\":\"j\",\"order\":\"lesson\",\"measurements\":\"m\",\"runs\":[{\"index\":0,"
                    + "\"label\":\"l\",\"classpath\":[],\"tests\":[\"t\"],\"failFast\":false}]}", Spec.class);
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClass(Rehearsal.class)).build(), new TestExecutionListener() { });
            for (String name : List.of("org.assertj.core.api.Assertions", "org.awaitility.Awaitility")) {
                Class.forName(name, true, Child.class.getClassLoader());
            }
        } catch (ClassNotFoundException | IOException | RuntimeException | LinkageError e) {
            // only time is lost: the run loads them itself
        }
    }

    /** What {@link #warmUp} runs: one test that checks what a kit's test checks first, with nothing of a run loaded. */
    public static final class Rehearsal {

        @org.junit.jupiter.api.Test
        void rehearsal() {
            org.assertj.core.api.Assertions.assertThat(List.of(1)).as("a rehearsal").hasSize(1);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(1)).until(() -> true);
        }
    }

    /**
     * A run's classes: its tests and implementation, and its own copy of the kit's test support
     * and jcstress, so that jcstress finds the run's stress tests through its own class loader and
     * no static state of the kit outlives a run. Everything else (the JDK, JUnit, the libraries,
     * the grader) comes from the JVM's class path first: nothing of a run stands in for it.
     */
    private static final class RunLoader extends URLClassLoader {

        RunLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("kit.") && !name.startsWith("org.openjdk.jcstress.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        c = getParent().loadClass(name);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    private static void halt(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code); // leftover threads of a submission must not keep us alive
    }

    private static URL[] urls(List<String> classpath) {
        return classpath.stream().map(p -> {
            try {
                return Path.of(p).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(p, e);
            }
        }).toArray(URL[]::new);
    }

    private static String where(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        return stack.length == 0 ? "" : " (at " + stack[0] + ")";
    }

    /** Writes each event to the journal, then to standard error after the marker and the nonce. */
    static final class Reporter {

        private final String nonce;
        private final Path journal;
        private final PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

        Reporter(String nonce, Path journal) {
            this.nonce = nonce;
            this.journal = journal;
        }

        synchronized void write(Event event) {
            try {
                Files.writeString(journal, event.json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Short (no message), so that one write of it cannot be interleaved with other output.
            Event brief = new Event(event.kind(), event.run(), event.id(), event.status(), null, null);
            err.print("\n" + Event.MARK + nonce + " " + brief.json() + "\n");
            err.flush();
        }
    }

    /** One test's observations ({@link kit.Observations}), each a JSON object as the kit wrote it. */
    record Observed(int run, String id, List<String> observations) {
    }

    /** Reports each test as it starts and ends. */
    private static final class Listener implements TestExecutionListener {

        private final Reporter reporter;
        private final Path observations;
        private final List<String> observed = new java.util.ArrayList<>();
        private final Set<String> reported = new HashSet<>();
        private volatile Run run;
        private volatile TestPlan plan;
        private volatile TestIdentifier running;
        private volatile long startedAt;
        private volatile boolean freshJvmWanted;
        private volatile String shown;

        Listener(Reporter reporter, Path observations) {
            this.reporter = reporter;
            this.observations = observations;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            if (entry.getKeyValuePairs().containsKey(KitExtension.FRESH_JVM)) {
                freshJvmWanted = true;
            }
            if (entry.getKeyValuePairs().containsKey(KitExtension.SHOWN)) {
                shown = entry.getKeyValuePairs().get(KitExtension.SHOWN);
            }
            String json = entry.getKeyValuePairs().get(kit.Observations.ENTRY);
            if (json != null && id.isTest() && observed.size() < kit.Observations.MAX_PER_TEST) {
                observed.add(json);
            }
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                running = id;
                startedAt = System.nanoTime();
                reporter.write(Event.started(run.index(), id.getUniqueId()));
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                reporter.write(Event.started(run.index(), id.getUniqueId()));
                finish(id, "SKIPPED", "did not run: " + reason, 0);
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Throwable thrown = result.getThrowable().orElse(null);
            if (!id.isTest()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && plan != null) {
                    // The class failed around its tests (@BeforeAll, its fixture): they fail with it.
                    for (TestIdentifier test : plan.getDescendants(id)) {
                        if (test.isTest() && !reported.contains(test.getUniqueId())) {
                            reporter.write(Event.started(run.index(), test.getUniqueId()));
                            finish(test, "FAILED", "the test class failed around its tests: " + describe(thrown), 0);
                        }
                    }
                }
                return;
            }
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "PASSED";
                // The kit's timing checks say so when the machine was too busy to judge; the grader checks that claim.
                case ABORTED -> thrown != null && thrown.getClass().getName().equals(TOO_BUSY) ? "BUSY" : "ABORTED";
                case FAILED -> "FAILED";
            };
            // A demonstration that passed says what it showed; a failure says why.
            String message = thrown == null ? shown : describe(thrown);
            shown = null;
            finish(id, status, message, (System.nanoTime() - startedAt) / 1e9);
            if (run.failFast() && !status.equals("PASSED")) {
                StopAfterFailure.stop(); // one failure is all the self-check needs to know of a mutant
            }
            if (freshJvmWanted) {
                halt(FRESH_JVM);
            }
        }

        private void finish(TestIdentifier id, String status, String message, double seconds) {
            running = null;
            if (!observed.isEmpty()) {
                try {
                    Files.writeString(observations, JSON.writeValueAsString(new Observed(run.index(), id.getUniqueId(),
                            List.copyOf(observed))) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    // a picture lost, never a grade
                }
                observed.clear();
            }
            reported.add(id.getUniqueId());
            reporter.write(Event.finished(run.index(), id.getUniqueId(), status, message, seconds));
        }

        /** Called by the shutdown hook: someone called System.exit while a test ran. */
        void jvmShutDown() {
            abandonRunning("the JVM was shut down during this test: does the code call System.exit?");
        }

        void abandonRunning(String why) {
            TestIdentifier id = running;
            if (id != null) {
                finish(id, "FAILED", why, (System.nanoTime() - startedAt) / 1e9);
            }
        }
    }

    /** A failure as the student reads it: the message first, a few frames for an unexpected exception. */
    static String describe(Throwable thrown) {
        if (thrown == null) {
            return null;
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException && String.valueOf(t.getMessage()).startsWith("TODO")) {
                return "not done yet: " + t.getMessage();
            }
        }
        if (thrown.getClass().getName().equals(TOO_BUSY)) {
            return thrown.getMessage();
        }
        String message = thrown.getMessage();
        // A test that caught a stub's TODO into an assertion of its own: still "not done yet".
        java.util.regex.Matcher todo = java.util.regex.Pattern.compile("java\\.lang\\.UnsupportedOperationException: (TODO[^\\n]*)")
                .matcher(String.valueOf(message));
        if (thrown instanceof AssertionError && todo.find()) {
            return "not done yet: " + todo.group(1);
        }
        String text = message == null || message.isBlank() ? thrown.toString()
                : thrown instanceof AssertionError ? message : thrown.getClass().getSimpleName() + ": " + message;
        if (!(thrown instanceof AssertionError)) {
            StackTraceElement[] stack = thrown.getStackTrace();
            for (int i = 0; i < Math.min(4, stack.length); i++) {
                text += "\n    at " + stack[i];
            }
        }
        return text.length() > 4000 ? text.substring(0, 4000) + "\n[...]" : text;
    }
}
