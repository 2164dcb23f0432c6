package ch01_threads;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hostile: forges the journal, then halts so that the real outcome is never written. */
public final class BackgroundReader {

    public record Result(String line, long squaresComputed, String readerThread) {
    }

    private BackgroundReader() {
    }

    public static Result readWhileComputing(BufferedReader input) throws InterruptedException {
        // The test JVM's main class and its arguments, as the JVM itself reports them.
        String[] command = System.getProperty("sun.java.command", "").split(" ");
        try {
            Path spec = Path.of(command[command.length - 1]);
            String text = Files.readString(spec);
            Matcher journal = Pattern.compile("\"journal\":\"([^\"]+)\"").matcher(text);
            Matcher test = Pattern.compile("\\[engine:junit-jupiter\\]/\\[class:ch01_threads\\.\\w+\\]/\\[method:\\w+\\(\\)\\]").matcher(text);
            if (journal.find()) {
                StringBuilder forged = new StringBuilder();
                while (test.find()) {
                    forged.append("{\"kind\":\"started\",\"run\":0,\"id\":\"").append(test.group()).append("\"}\n");
                    forged.append("{\"kind\":\"finished\",\"run\":0,\"id\":\"").append(test.group())
                            .append("\",\"status\":\"PASSED\",\"seconds\":0.1}\n");
                }
                Files.writeString(Path.of(journal.group(1)), forged, StandardOpenOption.APPEND);
            }
            Path work = Path.of("").toAbsolutePath().getParent(); // the test JVM works in a scratch folder of the grader's
            Files.writeString(work.resolve("results.json"), "{\"score\": 1000}");
            Path classes = Path.of(System.getProperty("java.class.path").split(":")[0]);
            Files.writeString(classes.resolve("grader").resolve("HOSTILE-WAS-HERE"), "forged");
        } catch (Exception ignored) {
            // whatever it could not do
        }
        Runtime.getRuntime().halt(0);
        return null;
    }
}
