package grader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw test}: grades the exercises (or the solutions, with -Psolutions), prints each test
 * and the scoreboard, writes the reports, and exits non-zero while any graded test fails. Every
 * run starts by removing the last run's reports, and writes new ones whatever happens.
 */
@Command(name = "grade", mixinStandardHelpOptions = true)
public final class Grade implements Callable<Integer> {

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--release", required = true, description = "the Java release everything is compiled for")
    int release;


    @Option(names = "--implementations", defaultValue = "exercises", description = "exercises or solutions")
    String implementations;

    @Option(names = "--chapter", defaultValue = "")
    String chapter;

    @Option(names = "--exercise", defaultValue = "", description = "only these exercises (comma-separated class names)")
    String exercise;

    @Option(names = "--order", defaultValue = "lesson", description = "lesson, or reverse to check that no verdict depends on order")
    String order;

    @Option(names = "--property", description = "a system property for the test JVM, key=value (empty values are left out)")
    Map<String, String> properties = new java.util.HashMap<>();

    @Option(names = "--sandbox", defaultValue = "auto", description = "auto, or off to run the test JVM as you without namespaces")
    String sandbox;

    @Option(names = "--results", description = "where the reports go (default: target/grading)")
    Path results;

    @Option(names = "--hide", description = "a folder the test JVM must not see, besides the kit's answers (batch grading:"
            + " the other submissions)")
    List<Path> hide = new ArrayList<>();

    /** What the reports say first (a packaged grader: which submitted files were graded or left out). */
    final List<String> notes = new ArrayList<>();

    public static void main(String[] args) {
        Preload.grader();
        System.exit(new CommandLine(new Grade()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path out = results != null ? results : basedir.resolve("target/grading");
        Compilation.clean(out); // never a stale report
        List<String> chapters;
        try {
            chapters = Chapters.select(basedir, chapter);
        } catch (IllegalArgumentException unknown) {
            System.out.println(unknown.getMessage());
            return 2;
        }
        Set<String> exercises = Arrays.stream(exercise.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        PrintStream console = System.out;
        try {
            Kit kit = Kit.fromClasspath(basedir, release, properties);
            Sandbox box = Sandbox.choose(sandbox, kit.basedir());
            Grading grading = new Grading(kit, box);
            grading.hide(hide);
            String label = Path.of(implementations).getFileName().toString();
            Path root = basedir.resolve(implementations);
            Grading.Prepared prepared = grading.prepare(label, root, chapters, exercises);
            prepared.notes().addAll(0, notes);
            if (prepared.plan().isEmpty()) {
                console.println("There is no exercise " + exercise + (chapter.isBlank() ? "" : " in " + chapter)
                        + "; the exercises are " + String.join(", ", grading.prepare(label, root, chapters, Set.of())
                        .plan().stream().map(Planned::exercise)
                        .distinct().toList()) + ".");
                return 2;
            }
            Grading.Graded graded = grading.run(label, prepared, out, order, console, started);
            Reports.write(graded.board(), out, box.describe());
            graded.board().print(console, "Threadwork scoreboard: " + implementations + (chapter.isBlank() ? "" : ", " + chapter)
                    + (exercises.isEmpty() ? "" : ", " + String.join(", ", exercises)));
            console.println("reports: " + basedir.relativize(out.toAbsolutePath().normalize()) + "/ (results.json for Gradescope,"
                    + " prairielearn.json, summary.md, junit/)");
            if (graded.board().allPassed()) {
                return 0;
            }
            console.println(graded.board().tampering().isEmpty()
                    ? "Graded tests fail (" + graded.board().failedCount() + "): the lines above say what each expected and saw;"
                            + " the scoreboard names each exercise that lost points."
                    : "Grading was tampered with: the score is 0.");
            return 1;
        } catch (IOException | RuntimeException e) {
            // Still a report: the platform must see that this submission was not graded, and why.
            Reports.failed(out, "The grader itself failed, so nothing was graded: " + e);
            throw e;
        }
    }
}
