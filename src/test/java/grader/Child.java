package grader;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import org.junit.platform.engine.discovery.DiscoverySelectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import kit.Demonstration;
import kit.Exercise;
import kit.KitExtension;
import kit.NeedsCpus;
import kit.Points;
import org.junit.platform.engine.reporting.ReportEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the graded tests in this JVM and writes each start and finish to the journal. Started,
 * and restarted after a crash, by {@link Supervisor}; never by hand.
 */
@Command(name = "run-tests", mixinStandardHelpOptions = true)
public final class Child implements Callable<Integer> {

    /** Exit code that asks for a fresh JVM for the tests still to run. */
    static final int FRESH_JVM = 75;

    @Option(names = "--journal", required = true)
    Path journalFile;

    @Option(names = "--test-classes", required = true)
    Path testClasses;

    @Option(names = "--chapter", description = "a chapter package, or empty for all")
    String chapter = "";

    @Option(names = "--exercise", split = ",", description = "only the tests of these exercises")
    Set<String> exercises = Set.of();

    @Option(names = "--fail-fast", description = "stop at the first graded test that fails")
    boolean failFast;

    @Option(names = "--order", description = "lesson (the default) or reverse")
    String order = "lesson";

    public static void main(String[] args) {
        int code = new CommandLine(new Child()).execute(args);
        System.out.flush();
        Runtime.getRuntime().halt(code); // leftover threads of a submission must not keep us alive
    }

    @Override
    public Integer call() {
        Journal journal = new Journal(journalFile);
        Set<String> finished = journal.read().outcomes().keySet();
        String pattern = chapter.isBlank() ? "^ch\\d\\d_\\w+\\..*" : "^\\Q" + chapter + "\\E\\..*";
        LauncherDiscoveryRequest request = newRequest()
                .selectors(selectClasspathRoots(Set.of(testClasses)))
                .filters(includeClassNamePatterns(pattern), (PostDiscoveryFilter) descriptor -> include(descriptor, finished))
                .build();
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request);
        List<Planned> planned = planned(plan);
        journal.plan(planned);
        // Tests this machine cannot grade (too few CPUs) are planned but not run.
        List<String> gradable = planned.stream().filter(Planned::gradableHere).map(Planned::id).toList();
        if (gradable.size() < planned.size()) {
            request = newRequest().selectors(gradable.stream().map(DiscoverySelectors::selectUniqueId).toList()).build();
        }
        Listener listener = new Listener(journal, failFast);
        Thread exitWatch = new Thread(listener::jvmShutDown, "kit-exit-watch");
        Runtime.getRuntime().addShutdownHook(exitWatch);
        try {
            launcher.execute(request, listener);
        } catch (Throwable unrecoverable) { // JUnit rethrows OutOfMemoryError and the like
            listener.abandonRunning("the test JVM failed: " + unrecoverable);
            return FRESH_JVM;
        } finally {
            Runtime.getRuntime().removeShutdownHook(exitWatch);
        }
        journal.done();
        return 0;
    }

    private LauncherDiscoveryRequestBuilder newRequest() {
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request();
        if (order.equals("reverse")) {
            builder.configurationParameter("junit.jupiter.testmethod.order.default", ReverseOrder.class.getName())
                    .configurationParameter("junit.jupiter.testclass.order.default", ReverseOrder.class.getName());
        }
        return builder;
    }

    private FilterResult include(TestDescriptor descriptor, Set<String> finished) {
        if (finished.contains(descriptor.getUniqueId().toString())) {
            return FilterResult.excluded("already graded");
        }
        if (!exercises.isEmpty() && descriptor.isTest()) {
            String exercise = exerciseOf(descriptor.getSource().filter(MethodSource.class::isInstance)
                    .map(MethodSource.class::cast).map(MethodSource::getJavaClass).orElse(null));
            if (!exercises.contains(exercise)) {
                return FilterResult.excluded("another exercise");
            }
        }
        return FilterResult.included("graded");
    }

    /** The exercise a test class grades: {@code BankTest} grades {@code Bank}. */
    static String exerciseOf(Class<?> testClass) {
        Class<?> top = testClass;
        while (top != null && top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        return top == null ? "?" : top.getSimpleName().replaceFirst("Test$", "");
    }

    private static Exercise annotation(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            if (c.isAnnotationPresent(Exercise.class)) {
                return c.getAnnotation(Exercise.class);
            }
        }
        return null;
    }

    private static List<Planned> planned(TestPlan plan) {
        List<Planned> tests = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                if (id.isTest()) {
                    tests.add(planned(id));
                }
            }
        }
        return tests;
    }

    static Planned planned(TestIdentifier id) {
        Optional<MethodSource> source = id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
        Class<?> testClass = source.map(MethodSource::getJavaClass).orElse(null);
        String chapter = testClass == null ? "?" : testClass.getPackageName();
        int points = 0;
        int cpus = 1;
        boolean demonstration = false;
        if (source.isPresent()) {
            var method = source.get().getJavaMethod();
            Points p = method.getAnnotation(Points.class);
            points = p == null ? 0 : p.value();
            NeedsCpus needs = method.getAnnotation(NeedsCpus.class);
            cpus = needs == null ? 1 : needs.value();
            demonstration = method.isAnnotationPresent(Demonstration.class);
        }
        Exercise exercise = annotation(testClass);
        return new Planned(id.getUniqueId(), chapter, exercise == null ? 0 : exercise.value(), exerciseOf(testClass),
                id.getDisplayName(), points, demonstration, cpus);
    }

    /** Journals each test as it starts and ends, and prints one line per test for the student. */
    private static final class Listener implements TestExecutionListener {

        private final Journal journal;
        private final boolean failFast;
        private volatile TestIdentifier running;
        private volatile boolean freshJvmWanted;
        private volatile long startedAt;

        Listener(Journal journal, boolean failFast) {
            this.journal = journal;
            this.failFast = failFast;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                running = id;
                startedAt = System.nanoTime();
                journal.started(id.getUniqueId());
            }
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            if (entry.getKeyValuePairs().containsKey(KitExtension.FRESH_JVM)) {
                freshJvmWanted = true;
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                record(id, new Outcome(id.getUniqueId(), Outcome.Status.NOT_GRADABLE, "skipped: " + reason, 0));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                return;
            }
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            Throwable thrown = result.getThrowable().orElse(null);
            Outcome.Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> Outcome.Status.PASSED;
                // Only the plan says a test cannot be graded here; an abort thrown by the code under test is a failure.
                case ABORTED -> Outcome.Status.FAILED;
                case FAILED -> Outcome.Status.FAILED;
            };
            Planned test = record(id, new Outcome(id.getUniqueId(), status, describe(thrown), seconds));
            if (failFast && status == Outcome.Status.FAILED && test.graded()) {
                journal.done(); // one graded failure is all the self-check needs to know of a mutant
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
            if (freshJvmWanted) {
                System.out.flush();
                Runtime.getRuntime().halt(FRESH_JVM);
            }
        }

        /** Journals and prints the outcome; returns what the test is, for the caller's own use. */
        private Planned record(TestIdentifier id, Outcome outcome) {
            running = null;
            journal.finished(outcome);
            Planned test = planned(id);
            String mark = switch (outcome.status()) {
                case PASSED -> "  ok  ";
                case FAILED -> "  FAIL";
                case NOT_GRADABLE -> "  n/a ";
            };
            System.out.printf("%s %s (%.1f s)%s%n", mark, test.title(), outcome.seconds(),
                    outcome.status() == Outcome.Status.PASSED ? "" : "\n         " + outcome.hint());
            System.out.flush();
            return test;
        }

        /** Called by the shutdown hook: someone called System.exit while a test ran. */
        void jvmShutDown() {
            abandonRunning("the JVM was shut down during this test: does the code call System.exit?");
        }

        void abandonRunning(String why) {
            TestIdentifier id = running;
            if (id != null) {
                record(id, new Outcome(id.getUniqueId(), Outcome.Status.FAILED, why,
                        (System.nanoTime() - startedAt) / 1e9));
            }
        }

        private static String describe(Throwable thrown) {
            if (thrown == null) {
                return null;
            }
            if (thrown instanceof UnsupportedOperationException && String.valueOf(thrown.getMessage()).startsWith("TODO")) {
                return "not done yet: " + thrown.getMessage();
            }
            String message = thrown.getMessage();
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
}
