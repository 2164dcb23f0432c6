package grader;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Grades one submission the way every packaged grader does (Gradescope's run_autograder,
 * PrairieLearn's entrypoint, batch grading): in a fresh copy of a built student edition, made for
 * this submission and deleted after it, by {@link Autograder} in a JVM of its own, within a time
 * limit. The reports are written whatever happens: when the grading runs past the limit, or ends
 * without a report, everything it started is ended and the reports say that this submission was
 * not graded, and why.
 */
@Command(name = "grade-submission", mixinStandardHelpOptions = true)
public final class FreshGrading implements Callable<Integer> {

    /** The exit status when the time limit ended the grading (as coreutils' timeout says it). */
    static final int TIMED_OUT = 124;
    /** What a built edition holds that a grading leaves behind: never copied into a fresh one. */
    private static final Set<String> LEFTOVERS = Set.of("target/graded", "target/grading", "target/grading-runtime",
            "target/kit-check", "target/hostile", "target/jcstress");

    /** What every submission of a batch, or of a platform's assignment, is graded with. */
    record Setup(Path template, List<Path> libraries, GradingOptions options, long seconds, Path workRoot) {
    }

    @Option(names = "--template", required = true, description = "the student edition, built (target/classes, target/test-classes)")
    Path template;

    @Option(names = "--submission", required = true)
    Path submission;

    @Option(names = "--results", required = true, description = "the folder the reports go to")
    Path results;

    @Option(names = "--time-limit", defaultValue = "480", description = "seconds")
    long seconds;

    @Mixin
    GradingOptions options = new GradingOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FreshGrading()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path kit = template.toAbsolutePath().normalize();
        Setup setup = new Setup(kit, Kit.fromClasspath(kit, options.release, Map.of()).libraries(), options, seconds,
                Path.of(System.getProperty("java.io.tmpdir")));
        return grade(setup, submission.toAbsolutePath().normalize(), results.toAbsolutePath().normalize(), null);
    }

    /**
     * Grades {@code submission} into {@code results}; the grading's console goes to {@code log}
     * (null: this JVM's own). Returns the grader's exit status, or {@link #TIMED_OUT}.
     */
    static int grade(Setup setup, Path submission, Path results, Path log) throws IOException, InterruptedException {
        Compilation.clean(results);
        Path work = Files.createTempDirectory(setup.workRoot(), "threadwork-submission-");
        try {
            // Reachable by the sandbox's user, which reads the compiled classes and writes its scratch inside.
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path kit = work.resolve(Edition.NAME);
            copy(setup.template(), kit);
            // The reports are made inside the copy (with the test JVM's scratch), and only they are kept.
            Path made = work.resolve("reports");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath(kit, setup.libraries()),
                    Autograder.class.getName(), "--basedir=" + kit, "--submission=" + submission, "--results=" + made));
            command.addAll(setup.options().arguments());
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
            if (log == null) {
                builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            } else {
                Files.createDirectories(log.getParent());
                builder.redirectOutput(log.toFile());
            }
            Process grading = builder.start();
            if (!grading.waitFor(setup.seconds(), TimeUnit.SECONDS)) {
                Sandbox.choose(setup.options().sandbox, kit).killAll(grading);
                Compilation.clean(results);
                String why = "Grading did not finish within " + setup.seconds() + " s, so this submission was not"
                        + " graded (each test has its own time limit, so this is the grader's fault, or a machine far slower"
                        + " than expected: ask for a regrade).";
                Reports.failed(results, why);
                ReportPage.failed(results, why); // a page too: grade-all keeps it beside the results
                note(log, "timed out after " + setup.seconds() + " s");
                return TIMED_OUT;
            }
            int status = grading.exitValue();
            keep(made, results);
            if (!Files.exists(results.resolve("results.json"))) {
                String why = "The grader stopped without a report (exit status " + status + "), so this submission was not graded.";
                Reports.failed(results, why);
                ReportPage.failed(results, why);
            }
            return status;
        } finally {
            try {
                Compilation.remove(work);
            } catch (IOException e) {
                note(log, "could not remove the fresh copy " + work + ": " + e); // the reports are kept all the same
            }
        }
    }

    /** The Autograder JVM's class path: the copy's own classes first, as the build puts them, then the libraries. */
    static String classpath(Path kit, List<Path> libraries) {
        List<Path> cp = new ArrayList<>(List.of(kit.resolve("target/test-classes"), kit.resolve("target/classes")));
        cp.addAll(libraries);
        return Kit.join(cp);
    }

    /** Copies the reports a grading made, without the test JVM's scratch folder (whatever the submission left there). */
    static void keep(Path made, Path results) throws IOException {
        Compilation.clean(results);
        if (Files.isDirectory(made)) {
            Edition.copyTree(made, results, p -> p.getName(0).toString().startsWith("scratch")); // scratch-ready too
        }
    }

    /** Copies a built edition, without what earlier gradings left in it. */
    static void copy(Path template, Path into) throws IOException {
        if (!Files.isDirectory(template.resolve("target/test-classes"))) {
            throw new IOException(template + " is not a built student edition (no target/test-classes)");
        }
        Edition.copyTree(template, into, p -> LEFTOVERS.stream().anyMatch(p::startsWith));
    }

    private static void note(Path log, String line) throws IOException {
        if (log == null) {
            System.out.println(line);
        } else {
            Files.writeString(log, line + "\n", StandardOpenOption.APPEND, StandardOpenOption.CREATE);
        }
    }
}
