package ch07_processes;

import java.time.Duration;
import java.util.List;

/**
 * What one command did.
 *
 * @param command the command as given
 * @param exitCode its exit status (after a timeout, whatever status destroying it left)
 * @param output everything it wrote to standard output and standard error, as text
 * @param duration from its start to its end (for a timed-out command, to when it was destroyed)
 * @param timedOut whether it ran past the timeout and was destroyed
 */
public record CommandResult(List<String> command, int exitCode, String output, Duration duration, boolean timedOut) {
}
