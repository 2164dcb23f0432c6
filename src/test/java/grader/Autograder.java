package grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Grades one submission in a fresh copy of the student edition ({@code --basedir}, built): its
 * exercise files are put over the stubs ({@link Submission}), then the copy is graded as
 * {@code ./mvnw test} grades it, the reports saying first which files were graded and which left
 * out. {@link FreshGrading} makes the copy and runs this in a JVM of its own; the packaged graders
 * (Gradescope, PrairieLearn, batch grading) all go through it.
 */
@Command(name = "autograde", mixinStandardHelpOptions = true)
public final class Autograder implements Callable<Integer> {

    @Option(names = "--basedir", required = true, description = "a fresh copy of the student edition, built")
    Path basedir;

    @Option(names = "--submission", required = true)
    Path submission;

    @Option(names = "--results", required = true)
    Path results;

    @Mixin
    GradingOptions options = new GradingOptions();

    public static void main(String[] args) {
        Preload.grader();
        System.exit(new CommandLine(new Autograder()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String answers : List.of("solutions", "src/test/mutants", "src/test/hostile")) {
            if (Files.exists(basedir.resolve(answers))) {
                // Student code must never run beside the answers (issue 9): grade in the student edition only.
                Reports.failed(results, "The grader was given a copy of the kit that holds " + answers
                        + "/; submissions are graded in the student edition only, so nothing was graded.");
                System.out.println("Refusing to grade: " + basedir.resolve(answers) + " holds answers.");
                return 2;
            }
        }
        Submission.Collected collected;
        try {
            collected = Submission.collect(submission.toAbsolutePath(), basedir.toAbsolutePath(),
                    Chapters.select(basedir, options.chapter), options.exercises());
        } catch (IOException | RuntimeException e) {
            Reports.failed(results, "The grader could not read the submission, so nothing was graded: " + e);
            throw e;
        }
        collected.notes().forEach(n -> System.out.println("note: " + n));
        Grade grade = new Grade();
        grade.basedir = basedir;
        grade.options = options;
        grade.implementations = "exercises";
        grade.order = "lesson";
        grade.results = results;
        grade.notes.addAll(collected.notes());
        grade.filesReachReader = false; // graded in a copy deleted afterwards, read on a platform: no link to a file
        return grade.call();
    }
}
