package grader;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The student's progress, {@code .threadwork/progress.json}: each exercise graded so far, "done"
 * or its points ("7/12"), from its latest grading however it was graded ({@code ./mvnw test},
 * watch mode). Watch mode reads it to say what is left.
 */
final class Progress {

    static final String DONE = "done";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, String> entries;

    private Progress(Path file, Map<String, String> entries) {
        this.file = file;
        this.entries = entries;
    }

    static Progress of(Path basedir) throws IOException {
        Path file = basedir.resolve(".threadwork/progress.json");
        Map<String, String> entries = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                entries.putAll(JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() { }));
            } catch (IOException unreadable) {
                // a file broken by hand: progress starts again from the next grading
            }
        }
        return new Progress(file, entries);
    }

    /** Records every exercise of {@code board} and writes the file. */
    Progress record(Scoreboard board) throws IOException {
        for (Scoreboard.ExerciseScore score : board.exercises()) {
            entries.put(score.chapter() + "/" + score.exercise(),
                    score.firstFailure() == null && board.tampering().isEmpty() ? DONE
                            : Scoreboard.points(score.earned()) + "/" + score.possible());
        }
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), entries);
        return this;
    }

    boolean done(String key) {
        return DONE.equals(entries.get(key));
    }

    long doneCount() {
        return entries.values().stream().filter(DONE::equals).count();
    }
}
