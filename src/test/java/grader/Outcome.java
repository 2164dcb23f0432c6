package grader;

import java.util.List;

/**
 * How one test ended. {@code message} is the failure (or, for NOT_GRADABLE, why this machine
 * cannot grade it); its first line is the hint shown on the scoreboard.
 */
public record Outcome(String id, Status status, String message, double seconds) {

    public enum Status { PASSED, FAILED, NOT_GRADABLE }

    /** Longest hint shown in a scoreboard cell. */
    static final int HINT_LENGTH = 300;

    /**
     * The message's first sentence as a scoreboard cell: a line that ends in ":" goes on with the
     * next (what it announces), and a long one ends at the last clause that fits, never with a
     * dangling ":" or a "...".
     */
    public String hint() {
        if (message == null || message.isBlank()) {
            return "";
        }
        List<String> lines = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String first = lines.get(0);
        if (first.startsWith("[") && first.indexOf("] ") > 0) {
            first = first.substring(1, first.indexOf("] ")); // AssertJ's as(...) description: the part that teaches
        }
        for (int i = 1; first.endsWith(":") && i < lines.size() && first.length() < HINT_LENGTH; i++) {
            first = first + " " + lines.get(i);
        }
        if (first.length() > HINT_LENGTH) {
            int cut = Math.max(Math.max(first.lastIndexOf("; ", HINT_LENGTH), first.lastIndexOf(". ", HINT_LENGTH)),
                    first.lastIndexOf(", ", HINT_LENGTH));
            cut = cut > HINT_LENGTH / 3 ? cut : first.lastIndexOf(' ', HINT_LENGTH);
            first = first.substring(0, cut > 0 ? cut : HINT_LENGTH);
        }
        return first.replaceAll("[\\s:;,]+$", "");
    }
}
