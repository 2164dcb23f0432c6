package grader;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the rest of a fail-fast run once a test failed (a mutant needs only one). Registered
 * through META-INF/services and active only where the test JVM turns on extension autodetection.
 */
public final class StopAfterFailure implements ExecutionCondition {

    private static volatile boolean stopped;

    static void stop() {
        stopped = true;
    }

    static boolean stopped() {
        return stopped;
    }

    static void reset() {
        stopped = false;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return stopped ? ConditionEvaluationResult.disabled("an earlier test of this fail-fast run failed")
                : ConditionEvaluationResult.enabled("no test of this run has failed yet");
    }
}
