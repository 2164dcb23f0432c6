package kit.grading;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import kit.ThreadReport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * What every graded test gets: a timeout that says why (deadlocked threads and the locks they
 * hold), and a check that the exercise left no thread of its own running. A test after which
 * threads may still be spinning asks the runner for a fresh JVM, so that they cannot disturb the
 * tests that follow.
 */
public final class KitExtension implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KitExtension.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    // Read by the runner's listener after each test.
    private static volatile boolean freshJvmWanted;

    /** For a test that knowingly leaves a thread spinning: the tests after it get a fresh JVM. */
    public static void requestFreshJvm() {
        freshJvmWanted = true;
    }

    /** Whether a test since the last call left this JVM unfit for the tests after it (and forget it). */
    static boolean takeFreshJvmWanted() {
        boolean wanted = freshJvmWanted;
        freshJvmWanted = false;
        return wanted;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("threads", liveThreads());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TimeoutException) {
            freshJvmWanted = true;
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
        if (context.getExecutionException().isPresent()) {
            return; // the first failure is the one worth reading
        }
        Set<Thread> leaked = startedSince(context);
        leaked.removeIf(thread -> thread.isDaemon() || thread.getName().startsWith("junit-"));
        if (leaked.isEmpty()) {
            return;
        }
        try {
            await().atMost(GRACE).until(() -> leaked.stream().noneMatch(Thread::isAlive));
        } catch (ConditionTimeoutException stillThere) {
            leaked.removeIf(thread -> !thread.isAlive());
            if (leaked.stream().anyMatch(thread -> thread.getState() == Thread.State.RUNNABLE)) {
                freshJvmWanted = true;
            }
            throw new AssertionError("threads left running after the exercise returned (shut down your pool,"
                    + " join your threads): \n" + ThreadReport.describe(leaked));
        }
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
        return new HashSet<>(List.copyOf(Thread.getAllStackTraces().keySet()));
    }
}
