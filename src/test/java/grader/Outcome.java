package grader;

/**
 * How one test ended. {@code message} is the failure (or, for NOT_GRADABLE, why this machine
 * cannot grade it); its first line is the hint shown on the scoreboard.
 */
public record Outcome(String id, Status status, String message, double seconds) {

    public enum Status { PASSED, FAILED, NOT_GRADABLE }

    public String hint() {
        if (message == null || message.isBlank()) {
            return "";
        }
        String first = message.strip().lines().findFirst().orElse("");
        if (first.startsWith("[") && first.indexOf("] ") > 0) {
            first = first.substring(1, first.indexOf("] ")); // AssertJ's as(...) description: the part that teaches
        }
        return first.length() > 300 ? first.substring(0, 297) + "..." : first;
    }
}
