package grader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw test}: grades the implementations on the class path (the stubs in exercises/,
 * or the solutions with -Psolutions), prints the scoreboard, writes target/grading/, and exits
 * non-zero while any graded test fails.
 */
@Command(name = "grade", mixinStandardHelpOptions = true)
public final class Grade implements Callable<Integer> {

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--implementations", defaultValue = "exercises")
    String implementations;

    @Option(names = "--chapter", defaultValue = "")
    String chapter;

    @Option(names = "--exercise", defaultValue = "", description = "only these exercises (comma-separated class names)")
    String exercise;

    @Option(names = "--order", defaultValue = "lesson", description = "lesson, or reverse to check that no verdict depends on order")
    String order;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Grade()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String unknown = Chapters.checkChapter(basedir, chapter);
        if (unknown != null) {
            System.err.println(unknown);
            return 2;
        }
        List<String> selection = new ArrayList<>();
        selection.add("--chapter=" + chapter);
        if (!exercise.isBlank()) {
            selection.add("--exercise=" + exercise);
        }
        selection.add("--order=" + order);
        long start = System.nanoTime();
        Path out = basedir.resolve("target/grading");
        Journal.State state = new Supervisor(System.getProperty("java.class.path"), basedir.resolve("target/test-classes"),
                out, selection, false).run();
        Scoreboard board = new Scoreboard(state, (System.nanoTime() - start) / 1e9);
        board.write(out);
        board.print(System.out, "Threadwork scoreboard: " + implementations
                + (chapter.isBlank() ? "" : ", " + chapter));
        if (board.allPassed() && !board.exercises().isEmpty()) {
            return 0;
        }
        long failed = board.gradedRows().stream().filter(Scoreboard.Row::failed).count();
        System.out.println("Graded tests fail (" + failed + "): the scoreboard above names each exercise that lost points, with a hint.");
        return 1;
    }
}
