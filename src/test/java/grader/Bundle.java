package grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw -q verify -Pgraders [-Dchapter=...] [-Dexercise=...]}: what a grading platform
 * gets, in target/graders/: {@code bundle/} (the student edition, setup.sh, the scripts, the
 * settings) is PrairieLearn's image's Docker context, and {@code gradescope.zip} is the same,
 * zipped for Gradescope. Every submission is then graded by {@code grade-submission}, which runs
 * {@link FreshGrading} with java directly; setup.sh builds the edition once, when the platform
 * builds its image.
 */
@Command(name = "graders", mixinStandardHelpOptions = true)
public final class Bundle implements Callable<Integer> {

    /** The scripts, from graders/ in the kit to the bundle's top folder. */
    static final Map<String, String> SCRIPTS = Map.of(
            "graders/setup.sh", "setup.sh",
            "graders/grade-submission", "grade-submission",
            "graders/gradescope/run_autograder", "run_autograder",
            "graders/prairielearn/entrypoint", "prairielearn-entrypoint",
            "graders/prairielearn/Dockerfile", "Dockerfile");
    static final String SETTINGS = "grader.conf";

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--release", required = true)
    int release;

    @Option(names = "--chapter", defaultValue = "", description = "what the platform's assignment grades (default: every chapter)")
    String chapter;

    @Option(names = "--exercise", defaultValue = "")
    String exercise;

    @Option(names = "--time-limit", defaultValue = "480", description = "seconds one submission's grading may take")
    long seconds;

    @Option(names = "--jdk-url", defaultValue = "", description = "a JDK .tar.gz setup.sh unpacks when the image's archive has no JDK")
    String jdkUrl;

    @Option(names = "--out", description = "default: target/graders")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bundle()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<String> chapters;
        try {
            chapters = Chapters.select(basedir, chapter);
        } catch (IllegalArgumentException unknown) {
            System.out.println(unknown.getMessage());
            return 2;
        }
        if (!exercise.matches("[\\w,]*")) {
            System.out.println("-Dexercise takes exercise names separated by commas, not " + exercise);
            return 2;
        }
        Path dir = (out != null ? out : basedir.resolve("target/graders")).toAbsolutePath().normalize();
        Path bundle = dir.resolve("bundle");
        build(basedir, bundle, release, chapter, exercise, seconds, jdkUrl);
        Path zip = dir.resolve("gradescope.zip");
        Edition.zip(bundle, zip, "");
        System.out.println("Gradescope: " + zip + " (upload it as the autograder; it grades "
                + (chapter.isBlank() ? "every chapter" : chapter) + (exercise.isBlank() ? "" : ", " + exercise)
                + " within " + seconds + " s a submission: set the assignment's timeout to at least " + (seconds / 60 + 2)
                + " minutes).");
        System.out.println("PrairieLearn: docker build -t <your-registry>/threadwork-grader " + bundle
                + " (the README's PrairieLearn section says how to wire it to a question).");
        List<String> twoCpus = needingMoreCpus(basedir, chapters, exercise);
        if (!twoCpus.isEmpty()) {
            System.out.println("On fewer CPUs than these tests need, they are reported \"not graded on this machine\" and their"
                    + " points go to their exercise's other tests (Gradescope's default is half a CPU: raise it in the autograder's"
                    + " settings; PrairieLearn's grader hosts give a job 0.9 of a CPU unless its operators give more):");
            twoCpus.forEach(t -> System.out.println("  " + t));
        }
        return 0;
    }

    /** Writes the bundle into {@code bundle} (emptied first). */
    static void build(Path basedir, Path bundle, int release, String chapter, String exercise, long seconds, String jdkUrl)
            throws IOException {
        Compilation.clean(bundle);
        Edition.build(basedir, bundle.resolve(Edition.NAME));
        for (Map.Entry<String, String> script : SCRIPTS.entrySet()) {
            Edition.copyFile(basedir.resolve(script.getKey()), bundle.resolve(script.getValue()));
        }
        int cpus = needingMoreCpus(basedir, Chapters.select(basedir, chapter), exercise).isEmpty() ? 1 : 2;
        Files.writeString(bundle.resolve(SETTINGS), settings(release, chapter, exercise, seconds, jdkUrl, cpus));
    }

    /** The settings the scripts read; an environment variable of the same name wins (PrairieLearn's per question). */
    static String settings(int release, String chapter, String exercise, long seconds, String jdkUrl, int cpus) {
        return "# What this grader grades, written by ./mvnw verify -Pgraders. An environment variable of the same name wins.\n"
                + ": \"${THREADWORK_CHAPTER=" + chapter + "}\"\n"
                + ": \"${THREADWORK_EXERCISE=" + exercise + "}\"\n"
                + ": \"${THREADWORK_TIME_LIMIT=" + seconds + "}\"\n"
                + ": \"${THREADWORK_RELEASE=" + release + "}\"\n"
                + "# A JDK .tar.gz that setup.sh unpacks when the image's archive has none of that release or newer (Debian 12).\n"
                + ": \"${THREADWORK_JDK_URL=" + jdkUrl + "}\"\n"
                + "# What the graded tests need; setup.sh says when the image is given less.\n"
                + ": \"${THREADWORK_CPUS=" + cpus + "}\"\n"
                + ": \"${THREADWORK_MEMORY_MB=" + Supervisor.MEMORY_MB + "}\"\n";
    }

    /** The tests of {@code chapters} that need more than one CPU, read from the kit's test sources. */
    static List<String> needingMoreCpus(Path basedir, List<String> chapters, String exercise) throws IOException {
        List<String> tests = new ArrayList<>();
        for (String c : chapters) {
            try (Stream<Path> files = Files.list(basedir.resolve("src/test/java").resolve(c))) {
                for (Path source : files.filter(p -> p.toString().endsWith("Test.java")).sorted().toList()) {
                    Plan.parse(c, source).stream()
                            .filter(t -> t.cpus() > 1 && (exercise.isBlank() || List.of(exercise.split(",")).contains(t.exercise())))
                            .forEach(t -> tests.add(t.title() + " (" + t.cpus() + " CPUs" + (t.demonstration() ? ", a demonstration"
                                    : ", " + t.points() + " points") + ")"));
                }
            }
        }
        return tests;
    }
}
