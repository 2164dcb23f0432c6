package grader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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


    /** What to grade and how the test JVM runs, as the packaged graders hand it down too. */
    @Mixin
    GradingOptions options = new GradingOptions();

    @Option(names = "--implementations", defaultValue = "exercises", description = "exercises or solutions")
    String implementations;

    @Option(names = "--order", defaultValue = "lesson", description = "lesson, or reverse to check that no verdict depends on order")
    String order;

    @Option(names = "--test", defaultValue = "", description = "Maven's -Dtest: test classes, each grading its exercise (BankTest: Bank)")
    String test = ""; // Grade made by the packaged graders has no -Dtest

    @Option(names = "--results", description = "where the reports go (default: target/grading)")
    Path results;

    /** What the reports say first (a packaged grader: which submitted files were graded or left out). */
    final List<String> notes = new ArrayList<>();

    /** Whether the reader has this machine's files (false on a grading platform): then jcstress's reports are kept for them. */
    boolean filesReachReader = true;

    public static void main(String[] args) {
        Preload.grader();
        System.exit(new CommandLine(new Grade()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path out = results != null ? results : basedir.resolve("target/grading");
        Files.createDirectories(out.getParent());
        // One grading at a time per report folder: a second one would remove the first's scratch folder.
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                out.resolveSibling(out.getFileName() + ".lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock lock = channel.tryLock();
            if (lock == null) {
                System.out.println("Another grading is writing " + out + " (a second ./mvnw test in this checkout?): this one"
                        + " waits for it to end.");
                lock = channel.lock();
            }
            try {
                return grade(out);
            } finally {
                lock.release();
            }
        }
    }

    /** A path as the user can open it: relative to the kit when inside it. */
    private String shown(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(basedir.toAbsolutePath().normalize())
                ? basedir.toAbsolutePath().normalize().relativize(absolute).toString() : absolute.toString();
    }

    /**
     * The exercises that Maven's {@code -Dtest=BankTest,ch03_races.SeatBookingTest#m} names: each class's exercise
     * (points are per exercise, so a method named after '#' grades its whole exercise).
     */
    static List<String> exercisesOfTests(String test) {
        List<String> exercises = new ArrayList<>();
        for (String one : test.split(",")) {
            String name = one.strip().replaceFirst("#.*$", "").replaceFirst("\\.java$", "").replaceFirst("^.*[./]", "");
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*Test")) {
                throw new IllegalArgumentException("-Dtest=" + test + ": name a test class, as -Dtest=BankTest (it grades the"
                        + " exercise Bank; patterns are not taken here: -Dchapter=ch03_races grades a chapter).");
            }
            exercises.add(Plan.exerciseOf(name));
        }
        return exercises;
    }

    private Integer grade(Path out) throws Exception {
        long started = System.nanoTime();
        Compilation.clean(out); // never a stale report
        List<String> chapters;
        try {
            chapters = Chapters.select(basedir, options.chapter);
        } catch (IllegalArgumentException unknown) {
            System.out.println(unknown.getMessage());
            return 2;
        }
        if (!test.isBlank()) {
            try {
                List<String> named = new ArrayList<>(options.exercises());
                named.addAll(exercisesOfTests(test));
                options.exercise = String.join(",", named);
            } catch (IllegalArgumentException notAClass) {
                System.out.println(notAClass.getMessage());
                return 2;
            }
        }
        Set<String> exercises = options.exercises();
        PrintStream console = System.out;
        try {
            Kit kit = Kit.fromClasspath(basedir, options.release, options.properties);
            Sandbox box = Sandbox.choose(options.sandbox, kit.basedir());
            Grading grading = new Grading(kit, box);
            grading.hide(options.hide);
            if (filesReachReader) {
                grading.keepJcstressReports(out.resolve("jcstress"));
            }
            String label = Path.of(implementations).getFileName().toString();
            Path root = basedir.resolve(implementations);
            Grading.Prepared prepared = grading.prepare(label, root, chapters, exercises);
            prepared.notes().addAll(0, notes);
            if (prepared.plan().isEmpty()) {
                console.println("There is no exercise " + options.exercise + (options.chapter.isBlank() ? "" : " in " + options.chapter)
                        + "; the exercises are " + String.join(", ", grading.prepare(label, root, chapters, Set.of())
                        .plan().stream().map(Planned::exercise)
                        .distinct().toList()) + ".");
                return 2;
            }
            Grading.Graded graded = grading.run(label, prepared, out, order, console, started);
            Reports.write(graded.board(), out, box.describe());
            if (implementations.equals("exercises") && results == null) {
                Progress.of(basedir).record(graded.board()); // the student's own run: watch mode counts it too
            }
            String title = "Threadwork scoreboard: " + implementations + (options.chapter.isBlank() ? "" : ", " + options.chapter)
                    + (exercises.isEmpty() ? "" : ", " + String.join(", ", exercises));
            long pageStarted = System.nanoTime();
            Path page = ReportPage.write(graded.board(), out, out, basedir, title);
            Files.writeString(out.resolve("tests.log"), String.format(java.util.Locale.ROOT, "report page written in %.0f ms%n",
                    (System.nanoTime() - pageStarted) / 1e6), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            graded.board().print(console, title);
            console.println("reports: " + basedir.relativize(out.toAbsolutePath().normalize()) + "/ (results.json for Gradescope,"
                    + " prairielearn.json, summary.md, junit/)");
            if (!graded.board().allPassed()) {
                console.println(graded.board().tampering().isEmpty()
                        ? "Graded tests fail (" + graded.board().failedCount() + "): the lines above say what each expected and saw;"
                                + " the scoreboard names each exercise that lost points."
                        : "Grading was tampered with: the score is 0.");
            }
            console.println("Report page (open it in a browser): " + shown(page));
            return graded.board().allPassed() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            // Still a report: the platform must see that this submission was not graded, and why.
            Reports.failed(out, "The grader itself failed, so nothing was graded: " + e);
            ReportPage.failed(out, "The grader itself failed, so nothing was graded: " + e);
            throw e;
        }
    }
}
