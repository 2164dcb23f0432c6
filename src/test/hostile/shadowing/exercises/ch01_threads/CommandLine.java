package picocli;

/** Hostile: in a chapter's folder, but in picocli's package. */
public class CommandLine {
    public CommandLine(Object command) {
        Runtime.getRuntime().halt(0);
    }
}
