package grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw -q verify -Pgrade-all -Dsubmissions=DIR [-Dchapter=...]}: batch grading. Each
 * folder of DIR is one student's submission (their files anywhere in it, as on Gradescope), graded
 * by {@link FreshGrading} in a fresh copy of the student edition that is deleted afterwards, in a
 * JVM of its own whose every process is ended before the next student's, with the other
 * submissions, the reports and this kit (its answers) hidden from the test JVM. Writes each
 * student's reports to target/grade-all/&lt;student&gt;/ (with the console in &lt;student&gt;.log)
 * and every score to target/grade-all/scores.csv.
 */
@Command(name = "grade-all", mixinStandardHelpOptions = true)
public final class GradeAll implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--submissions", defaultValue = "", description = "a folder with one folder per student")
    String submissions;

    @Mixin
    GradingOptions options = new GradingOptions();

    @Option(names = "--time-limit", defaultValue = "480", description = "seconds for one submission")
    long seconds;

    @Option(names = "--results", description = "default: target/grade-all")
    Path results;

    PrintStream out = System.out;
    /** Where the fresh copies are made (each deleted after its grading). */
    Path workRoot = Path.of(System.getProperty("java.io.tmpdir"));

    /** One student's line of scores.csv. */
    record Score(String student, double score, double maxScore, boolean graded, double seconds, String note) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GradeAll()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (submissions.isBlank() || !Files.isDirectory(Path.of(submissions))) {
            out.println("Name the folder of submissions, one folder per student: -Dsubmissions=DIR"
                    + (submissions.isBlank() ? "" : " (" + submissions + " is not a folder)"));
            return 2;
        }
        try {
            Chapters.select(basedir, options.chapter);
        } catch (IllegalArgumentException unknown) {
            out.println(unknown.getMessage());
            return 2;
        }
        Path kitDir = basedir.toAbsolutePath().normalize();
        Path from = Path.of(submissions).toAbsolutePath().normalize();
        Path reports = (results != null ? results : kitDir.resolve("target/grade-all")).toAbsolutePath().normalize();
        List<Path> students;
        try (Stream<Path> dirs = Files.list(from)) {
            students = dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (students.isEmpty()) {
            out.println("There is no student folder in " + from + ": batch grading takes one folder per student.");
            return 2;
        }
        Compilation.clean(reports);
        // The template every copy is made from: the student edition with this kit's compiled classes.
        Path template = kitDir.resolve("target/grade-all-kit");
        Edition.build(kitDir, template);
        for (String classes : List.of("target/classes", "target/test-classes")) {
            Edition.copyTree(kitDir.resolve(classes), template.resolve(classes), p -> false);
        }
        Path copies = workRoot.toAbsolutePath().normalize();
        List<Path> hide = options.hide;
        hide.addAll(List.of(from, reports));
        // The kit itself (its solutions, mutants, compiled answers) too; only its answers if the copies are made inside it.
        if (copies.startsWith(kitDir)) {
            for (String answers : List.of("solutions", "src/test/mutants", "src/test/hostile", ".git", "target/graded",
                    "target/kit-check", "target/hostile")) {
                hide.add(kitDir.resolve(answers));
            }
        } else {
            hide.add(kitDir);
        }
        FreshGrading.Setup setup = new FreshGrading.Setup(template, Kit.fromClasspath(kitDir, options.release, Map.of()).libraries(),
                options, seconds, copies);
        out.println("grade-all: " + students.size() + " submissions from " + from + (options.chapter.isBlank() ? "" : ", " + options.chapter)
                + ", each in a fresh copy of the student edition ...");
        List<Score> scores = new ArrayList<>();
        for (Path student : students) {
            String name = student.getFileName().toString();
            long started = System.nanoTime();
            Score score;
            try {
                int status = FreshGrading.grade(setup, student, reports.resolve(name), reports.resolve(name + ".log"));
                score = read(name, reports.resolve(name), (System.nanoTime() - started) / 1e9,
                        status == FreshGrading.TIMED_OUT);
            } catch (IOException | RuntimeException e) {
                // One submission's failure is that student's row, never the class's grading.
                score = new Score(name, 0, 0, false, (System.nanoTime() - started) / 1e9,
                        "not graded: the grader failed on this submission (" + e + ")");
            }
            scores.add(score);
            out.printf("  %-24s %9s  %5.1f s  %s%n", name, score.graded() ? Scoreboard.points(score.score()) + "/"
                    + Scoreboard.points(score.maxScore()) : "not graded", score.seconds(), score.note());
        }
        Path csv = reports.resolve("scores.csv");
        StringBuilder text = new StringBuilder("student,score,max_score,graded,seconds,note\n");
        for (Score s : scores) {
            text.append(String.join(",", csv(s.student()), Scoreboard.points(s.score()), Scoreboard.points(s.maxScore()),
                    String.valueOf(s.graded()), String.format(Locale.ROOT, "%.1f", s.seconds()), csv(s.note()))).append('\n');
        }
        Files.writeString(csv, text);
        out.println("reports: " + reports + "/<student>/ (report.html, results.json, prairielearn.json, summary.md, junit/), scores: " + csv);
        return scores.stream().allMatch(Score::graded) ? 0 : 1;
    }

    /** A student's score from the reports the grading wrote (Gradescope's and PrairieLearn's files). */
    static Score read(String student, Path reports, double seconds, boolean timedOut) throws IOException {
        JsonNode gradescope = JSON.readTree(reports.resolve("results.json").toFile());
        JsonNode prairieLearn = JSON.readTree(reports.resolve("prairielearn.json").toFile());
        double max = 0;
        for (JsonNode test : gradescope.path("tests")) {
            max += test.path("max_score").asDouble();
        }
        boolean graded = prairieLearn.path("gradable").asBoolean(false) && !timedOut;
        String output = gradescope.path("output").asText("");
        String note = !graded ? output.lines().findFirst().orElse("")
                : output.contains("tampered") ? "grading was tampered with, score 0" : "";
        return new Score(student, Scoreboard.round(gradescope.path("score").asDouble()), Scoreboard.round(max), graded, seconds,
                note);
    }

    /** A CSV field, quoted when it must be (RFC 4180). */
    static String csv(String field) {
        return field.matches("[^,\"\\r\\n]*") ? field : "\"" + field.replace("\"", "\"\"") + "\"";
    }
}
