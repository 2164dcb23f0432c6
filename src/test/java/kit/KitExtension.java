package kit;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * What every graded test gets: a timeout that says why (deadlocked threads and the locks they
 * hold), and a check that the exercise left no thread of its own running. A test after which
 * threads may still be spinning says so in a report entry ({@link #FRESH_JVM}), so that whoever
 * runs the tests can give the tests after it a fresh JVM.
 */
public final class KitExtension implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    /** The report entry a test publishes when the JVM it ran in is unfit for the tests after it. */
    public static final String FRESH_JVM = "threadwork.fresh-jvm";
    /** The report entry of a demonstration: what it showed, in words. */
    public static final String SHOWN = "threadwork.shown";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KitExtension.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    // Set by kit code during a test, published and cleared after it.
    private static volatile String freshJvmWanted;
    private static volatile String shown;

    /** For a demonstration: what it showed, in words, for the console and the report. */
    public static void show(String what) {
        shown = what;
    }

    /** For a test that knowingly leaves a thread spinning: the tests after it should get a fresh JVM. */
    public static void requestFreshJvm(String why) {
        freshJvmWanted = why;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().map(m -> m.getAnnotation(NeedsCpus.class)).ifPresent(needs -> {
            int cpus = Runtime.getRuntime().availableProcessors();
            // The grader does not even start such a test on a smaller machine; this is for runs from an IDE.
            Assumptions.assumeTrue(cpus >= needs.value(), () -> "not gradable on this machine: it needs "
                    + needs.value() + " CPUs, this machine has " + cpus);
        });
        ThreadReport.runningTest(context.getRequiredTestClass());
        context.getStore(NS).put("threads", liveThreads());
        Observations.clear();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TimeoutException) {
            requestFreshJvm("a test timed out");
            Set<Thread> started = startedSince(context);
            Set<Thread> involved = new HashSet<>(started);
            involved.addAll(Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("junit-")).toList());
            String deadlocks = ThreadReport.deadlocks(involved);
            String detail = !deadlocks.isEmpty() ? deadlocks
                    : started.isEmpty() ? "no thread of the exercise is left; is the test's own thread spinning or waiting for ever?"
                    : "threads still running:\n" + ThreadReport.describe(started);
            AssertionError timedOut = new AssertionError(thrown.getMessage() + ": " + detail, thrown);
            throw timedOut;
        }
        throw thrown;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            checkNothingLeftRunning(context);
        } finally {
            String why = freshJvmWanted;
            freshJvmWanted = null;
            if (why != null) {
                context.publishReportEntry(FRESH_JVM, why);
            }
            String what = shown;
            shown = null;
            if (what != null) {
                context.publishReportEntry(SHOWN, what);
            }
            Observations.drain().forEach(json -> context.publishReportEntry(Observations.ENTRY, json));
        }
    }

    private void checkNothingLeftRunning(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            return; // the first failure is the one worth reading
        }
        // Only the kit's own threads and the JDK's shared ones are let off, known by identity: a
        // daemon thread or a pool thread the exercise started and left is a leak like any other.
        Set<Thread> leaked = startedSince(context);
        leaked.removeIf(KitThreads::isKits);
        if (leaked.isEmpty()) {
            return;
        }
        // A pool shut down a moment ago, or the test runner's own thread, is ending: give them time.
        long deadline = System.nanoTime() + GRACE.toNanos();
        try {
            for (Thread thread : leaked) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leaked.removeIf(thread -> !thread.isAlive());
        if (!leaked.isEmpty()) {
            if (leaked.stream().anyMatch(thread -> thread.getState() == Thread.State.RUNNABLE)) {
                requestFreshJvm("threads left running");
            }
            throw new AssertionError("threads left running after the exercise returned (daemon threads count"
                    + " too): " + likelyMistake(leaked) + ":\n" + ThreadReport.describe(leaked));
        }
    }

    /** What probably left these threads behind, read from where they wait. */
    private static String likelyMistake(Set<Thread> leaked) {
        Set<String> hints = new LinkedHashSet<>();
        for (Thread thread : leaked) {
            String stack = Arrays.stream(thread.getStackTrace()).map(StackTraceElement::toString)
                    .collect(Collectors.joining("\n"));
            if (stack.contains("WatchService")) {
                hints.add("a thread still waits on a WatchService: close the WatchService, so that its take() ends,"
                        + " and join that thread");
            } else if (stack.contains("ThreadPoolExecutor.getTask") || stack.contains("ForkJoinPool.awaitWork")
                    || stack.contains("ScheduledThreadPoolExecutor")) {
                hints.add("idle pool threads wait for tasks: shut down your pool (close() or shutdown(), in a finally"
                        + " block or try-with-resources, so that an exception does not skip it)");
            } else if (stack.contains("ThreadPoolExecutor.runWorker")) {
                hints.add("pool threads are still busy: shut down your pool and wait for it (shutdownNow() interrupts"
                        + " what is still running), also when the call ends with an exception");
            } else {
                hints.add("threads you started are still running: join your threads (or stop them) before returning");
            }
        }
        return String.join("; ", hints);
    }

    @SuppressWarnings("unchecked")
    private static Set<Thread> startedSince(ExtensionContext context) {
        Set<Thread> before = context.getStore(NS).get("threads", Set.class);
        Set<Thread> now = liveThreads();
        if (before != null) {
            now.removeAll(before);
        }
        now.removeIf(thread -> thread == Thread.currentThread());
        return now;
    }

    private static Set<Thread> liveThreads() {
        KitThreads.init(); // the JDK's shared threads started and known before any exercise runs
        return new HashSet<>(List.copyOf(Thread.getAllStackTraces().keySet()));
    }
}
