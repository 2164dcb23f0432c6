package org.junit.platform.engine;

/** Hostile: would make every failure read as a success, if it were ever loaded. */
public class TestExecutionResult {
    public enum Status { SUCCESSFUL, ABORTED, FAILED }

    public Status getStatus() {
        return Status.SUCCESSFUL;
    }
}
