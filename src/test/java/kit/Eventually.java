package kit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * Awaitility waits whose failure starts with the sentence that teaches: Awaitility's own message
 * starts with where the lambda was defined, and the scoreboard shows only the first line.
 */
public final class Eventually {

    private Eventually() {
    }

    /** Waits until {@code assertion} holds, at most {@code bound}; if it never does, fails with {@code why} first. */
    public static void within(Duration bound, String why, ThrowingRunnable assertion) {
        explained(why, () -> await().atMost(bound).untilAsserted(assertion));
    }

    /**
     * Checks that {@code assertion} holds all through {@code quiet} (giving up at {@code bound}); if it
     * stops holding, fails with {@code why} first.
     */
    public static void throughout(Duration quiet, Duration bound, String why, ThrowingRunnable assertion) {
        explained(why, () -> await().during(quiet).atMost(bound).untilAsserted(assertion));
    }

    /**
     * Waits until {@code condition} holds, at most {@code bound}, looking every millisecond: whether it did. For a
     * moment the test holds open, where running out of time is no failure of the code under test.
     */
    public static boolean whether(Duration bound, Callable<Boolean> condition) {
        try {
            await().atMost(bound).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(condition);
            return true;
        } catch (ConditionTimeoutException timedOut) {
            return false;
        }
    }

    private static void explained(String why, Runnable wait) {
        try {
            wait.run();
        } catch (ConditionTimeoutException timedOut) {
            Throwable cause = timedOut.getCause() != null ? timedOut.getCause() : timedOut;
            throw new AssertionError(why + "\n" + cause.getMessage(), timedOut);
        } catch (AssertionError | RuntimeException uncaught) {
            // Awaitility rethrows what another thread died of while it waited.
            throw new AssertionError(why + "\n(meanwhile a thread died of " + uncaught + ")", uncaught);
        }
    }
}
