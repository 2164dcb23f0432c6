package ch12_distributed;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a worker sends back for a task: its value, or the message of the error it failed with,
 * and the process id of the worker that ran it (as the sources' Celery task returns its pid). On
 * the wire it is one line of text, {@code ok 4242 49} or {@code failed 4242 / by zero}. Immutable.
 *
 * @param value the task's value; 0 when it failed
 * @param error why the task failed, or null when it succeeded
 * @param workerPid the process id of the worker that ran the task
 */
public record Reply(long value, String error, long workerPid) {

    /** A task's value, from this process. */
    public static Reply success(long value) {
        return new Reply(value, null, ProcessHandle.current().pid());
    }

    /** A task's failure, from this process: {@code error} says why (an exception's message). */
    public static Reply failure(String error) {
        Objects.requireNonNull(error, "error");
        return new Reply(0, error.isBlank() ? "(no message)" : error.strip().replaceAll("\\s+", " "),
                ProcessHandle.current().pid());
    }

    public boolean failed() {
        return error != null;
    }

    /** The message body: {@code ok <pid> <value>} or {@code failed <pid> <error>}, in UTF-8. */
    public byte[] encode() {
        String line = failed() ? "failed " + workerPid + " " + error : "ok " + workerPid + " " + value;
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The reply a message body carries.
     *
     * @throws IllegalArgumentException if the body is not a reply's line
     */
    public static Reply decode(byte[] body) {
        String line = new String(Objects.requireNonNull(body, "body"), StandardCharsets.UTF_8).strip();
        String[] words = line.split(" ", 3);
        try {
            if (words.length == 3 && words[0].equals("ok")) {
                return new Reply(Long.parseLong(words[2]), null, Long.parseLong(words[1]));
            }
            if (words.length == 3 && words[0].equals("failed")) {
                return new Reply(0, words[2], Long.parseLong(words[1]));
            }
        } catch (NumberFormatException e) {
            // not a reply: said below
        }
        throw new IllegalArgumentException("not a reply: '" + line + "'");
    }
}
