package grader;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of what the test JVM reports: a test started or finished, a run or the whole JVM done.
 * The test JVM writes each event twice, to its journal file and to its standard output after a
 * marker with a nonce of this JVM's; the grader compares the two accounts and trusts neither alone.
 *
 * @param kind started, finished, run-done or done
 * @param status for finished: PASSED, FAILED, ABORTED, BUSY (a timing check found the machine too busy) or SKIPPED
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Event(String kind, Integer run, String id, String status, String message, Double seconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String MARK = "@@threadwork:";

    static Event started(int run, String id) {
        return new Event("started", run, id, null, null, null);
    }

    static Event finished(int run, String id, String status, String message, double seconds) {
        return new Event("finished", run, id, status, message, seconds);
    }

    static Event runDone(int run) {
        return new Event("run-done", run, null, null, null, null);
    }

    static Event done() {
        return new Event("done", null, null, null, null, null);
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event in {@code line} after {@code MARK + nonce + " "}, or null if the line has none. */
    static Event parse(String line, String nonce) throws JsonProcessingException {
        String mark = MARK + nonce + " ";
        int at = line.indexOf(mark);
        return at < 0 ? null : fromJson(line.substring(at + mark.length()));
    }

    static Event fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, Event.class);
    }

    /** What two accounts must agree on. */
    String key() {
        return kind + "|" + run + "|" + id + "|" + status;
    }
}
