package grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The self-check's part for what the kit hands out, each piece used as its user would use it:
 * <ul>
 * <li>the student edition holds no answer (no solution, mutant or hostile case, nor their
 * distinctive lines), and {@code ./mvnw} grades in it from a fresh folder, run by the steps of the
 * GitHub Actions workflow it gives students, whose verdict follows the instructor's setting;</li>
 * <li>Gradescope's {@code run_autograder}, against a temporary folder laid out like /autograder,
 * gives a correct, a wrong, a non-compiling and an empty submission the scores they earn, and writes
 * a result when the time limit or the grader itself fails, each result keeping to the documented
 * fields;</li>
 * <li>PrairieLearn's entrypoint likewise, against a temporary /grade;</li>
 * <li>batch grading of two students, each in a fresh copy that is gone afterwards;</li>
 * <li>the instructors' class-grading workflow's steps, in a copy of the kit, against local git
 * repositories standing in for students': plan, shards, a merge before a shard finished and after.</li>
 * </ul>
 * One small exercise is graded throughout; Maven runs once, where Maven is what is tested.
 */
final class PackagingCheck {

    static final String CHAPTER = "ch01_threads";
    static final String EXERCISE = "BackgroundReader";
    /**
     * What the Maven run inside the edition adds to the workflow's command line (MAVEN_ARGS, which Maven reads).
     * Online, as a student's or a runner's Maven is: an offline run needs every plugin the edition uses in the
     * machine's Maven cache, and on a new machine the kit's own build had not brought them all.
     */
    private static final String MAVEN_ARGS = "-Pgrader-classpath -Dchapter=" + CHAPTER + " -Dexercise=" + EXERCISE;

    /** Gradescope's documented fields (its autograder specification), at the top and in each test. */
    static final Set<String> GRADESCOPE_TOP = Set.of("score", "execution_time", "output", "output_format", "test_output_format",
            "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard");
    static final Set<String> GRADESCOPE_TEST = Set.of("score", "max_score", "status", "name", "name_format", "number", "output",
            "output_format", "tags", "visibility", "extra_data");
    static final Set<String> GRADESCOPE_FORMATS = Set.of("text", "html", "simple_format", "md", "ansi");
    static final Set<String> GRADESCOPE_VISIBILITY = Set.of("hidden", "after_due_date", "after_published", "visible");
    /** PrairieLearn's documented fields (its external grading page), at the top and in each test. */
    static final Set<String> PRAIRIELEARN_TOP = Set.of("gradable", "score", "message", "output", "images", "tests", "format_errors");
    static final Set<String> PRAIRIELEARN_TEST = Set.of("name", "description", "points", "max_points", "message", "output", "images");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Kit kit;
    private final PrintStream out;
    private final Path work;
    private final List<String> gaps = new ArrayList<>();
    private int passed;

    /** Runs the packaging check alone: {@code grader.PackagingCheck BASEDIR RELEASE}, with the build's class path. */
    public static void main(String[] args) {
        Preload.grader();
        List<String> gaps = new ArrayList<>();
        new PackagingCheck(Kit.fromClasspath(Path.of(args[0]), Integer.parseInt(args[1]), Map.of()), System.out).check(gaps);
        System.exit(gaps.isEmpty() ? 0 : 1);
    }

    PackagingCheck(Kit kit, PrintStream out) {
        this.kit = kit;
        this.out = out;
        this.work = kit.target("packaging-check");
    }

    /** Runs every check; adds each gap to {@code allGaps} and returns how many checks passed. */
    int check(List<String> allGaps) {
        long started = System.nanoTime();
        out.println();
        out.println("Packaging (the student edition, Gradescope, PrairieLearn, GitHub Actions, batch grading; "
                + CHAPTER + "/" + EXERCISE + " graded throughout):");
        try {
            Compilation.clean(work);
            edition();
            Path source = work.resolve("autograder/source");
            Bundle.build(kit.basedir(), source, kit.release(), CHAPTER, EXERCISE, 480, "");
            gradescopeZip(source);
            workflow(source.resolve(Edition.NAME));
            watch(source.resolve(Edition.NAME));
            Map<String, Path> submissions = submissions();
            // Two streams side by side, one per CPU, as the self-check grades: the hostile submissions in
            // a second /autograder of their own, everything else in this one.
            Path second = work.resolve("autograder-2/source");
            Edition.copyTree(source, second, p -> false);
            ExecutorService streams = Executors.newFixedThreadPool(2);
            try {
                Future<?> hostile = streams.submit(() -> {
                    hostile(second.getParent());
                    return null;
                });
                JsonNode wrong = gradescope(source, submissions);
                prairieLearn(source, submissions.get("wrong"), wrong);
                gradeAll(submissions);
                classGrading(submissions);
                hostile.get();
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            } finally {
                streams.shutdownNow();
            }
        } catch (IOException | RuntimeException e) {
            expect(false, "the packaging check itself failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            expect(false, "the packaging check was interrupted");
        }
        out.printf("  packaging: %d checks passed, %d failed, in %.1f s%n", passed, gaps.size(), (System.nanoTime() - started) / 1e9);
        allGaps.addAll(gaps);
        return passed;
    }

    // ---------------------------------------------------------------- the student edition

    private void edition() throws IOException {
        long started = System.nanoTime();
        Path dir = work.resolve("edition");
        Path edition = dir.resolve(Edition.NAME);
        Edition.build(kit.basedir(), edition);
        Path zip = dir.resolve(Edition.NAME + ".zip");
        Edition.zip(edition, zip, Edition.NAME);
        List<Path> files = Edition.files(edition);

        List<String> forbidden = List.of("solutions", "src/test/mutants", "src/test/hostile", ".ci", "graders", ".git",
                "CALIBRATION.md", "target");
        List<String> present = files.stream().map(Path::toString)
                .filter(f -> forbidden.stream().anyMatch(x -> f.equals(x) || f.startsWith(x + "/")) || f.endsWith(".patch"))
                .toList();
        expect(present.isEmpty(), "the student edition holds what students must not get: " + present);
        expect(Files.isRegularFile(edition.resolve(Edition.WORKFLOW_IN_EDITION)), "the student edition has no "
                + Edition.WORKFLOW_IN_EDITION);

        // No answer: no file is a solution, a hostile case or a mutant's patch, nor shares their distinctive lines.
        Map<Path, Set<String>> lines = new LinkedHashMap<>();
        Set<String> digests = new HashSet<>();
        for (Path f : files) {
            String text = Files.readString(edition.resolve(f.toString()), StandardCharsets.ISO_8859_1);
            lines.put(f, new HashSet<>(text.lines().map(String::strip).toList()));
            digests.add(text);
        }
        // Each answer: where it is kept, its text, and the stub it is written over (its lines are given).
        record Answer(String where, String text, Path stub) {
        }
        List<Answer> answers = new ArrayList<>();
        for (String dirName : List.of("solutions", Hostile.DIR)) {
            try (Stream<Path> walk = Files.walk(kit.src(dirName))) {
                for (Path p : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    answers.add(new Answer(kit.basedir().relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1),
                            kit.src("exercises").resolve(p.getParent().getFileName().toString()).resolve(p.getFileName().toString())));
                }
            }
        }
        for (Approach a : Approach.all(kit.basedir(), kit.chapters())) { // whole answers: only after the deadline
            answers.add(new Answer("the approach " + a.chapter() + "/" + a.exercise() + " \"" + a.title() + "\"", a.code(),
                    kit.src("exercises").resolve(a.chapter()).resolve(a.exercise() + ".java")));
        }
        int leaks = 0;
        for (Answer answer : answers) {
            String text = answer.text();
            String where = answer.where();
            if (digests.contains(text)) {
                expect(false, "the student edition holds a copy of " + where);
                leaks++;
                continue;
            }
            Path stub = answer.stub();
            Set<String> given = Files.exists(stub) ? new HashSet<>(Files.readString(stub).lines().map(String::strip).toList()) : Set.of();
            List<String> distinctive = text.lines().map(String::strip)
                    .filter(l -> l.length() >= 20 && !given.contains(l) && !l.startsWith("import ") && !l.startsWith("package "))
                    .toList();
            for (Map.Entry<Path, Set<String>> file : lines.entrySet()) {
                long shared = distinctive.stream().filter(file.getValue()::contains).count();
                // A line or two in common is ordinary Java (a catch clause); half of an answer's own lines is the answer.
                if (shared >= 3 && shared * 2 >= distinctive.size()) {
                    expect(false, "the student edition's " + file.getKey() + " shares " + shared + " of the " + distinctive.size()
                            + " distinctive lines of " + where);
                    leaks++;
                }
            }
        }
        List<Mutant> mutants = Mutant.of(kit.basedir(), kit.chapters());
        for (Mutant m : mutants) {
            for (Map.Entry<Path, Set<String>> file : lines.entrySet()) {
                if (m.mistake() != null && file.getValue().stream().anyMatch(l -> l.contains(m.mistake()))) {
                    expect(false, "the student edition's " + file.getKey() + " describes mutant " + m.chapter() + "/" + m.name());
                    leaks++;
                }
            }
        }
        expect(leaks == 0, "answers found in the student edition (above)");

        String readme = Files.readString(edition.resolve("README.md"));
        String pom = Files.readString(edition.resolve("pom.xml"));
        expect(!readme.contains("kit-only") && !readme.contains("edition-only") && !pom.contains("kit-only"),
                "a kit-only or edition-only marker is left in the edition's README.md or pom.xml");
        expect(!pom.contains("<id>solutions</id>") && !pom.contains("grader.SelfCheck") && !readme.contains("-Psolutions"),
                "the edition's pom.xml or README.md still offers the instructors' profiles (solutions, kit-check)");

        // The zip: the same files, the wrapper still executable once unzipped.
        List<String> zipped = new ArrayList<>();
        boolean executable;
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("enablePosixFileAttributes", "true"));
                Stream<Path> walk = Files.walk(fs.getPath("/" + Edition.NAME))) {
            walk.filter(Files::isRegularFile).forEach(p -> zipped.add(fs.getPath("/" + Edition.NAME).relativize(p).toString()));
            executable = Files.getPosixFilePermissions(fs.getPath("/" + Edition.NAME, "mvnw")).contains(PosixFilePermission.OWNER_EXECUTE);
        }
        expect(zipped.stream().sorted().toList().equals(files.stream().map(Path::toString).sorted().toList()),
                "the edition's zip does not hold exactly the edition's files");
        expect(executable, "mvnw is not executable in the edition's zip");
        report("student edition: " + files.size() + " files, " + answers.size() + " answers (solutions, hostile cases,"
                + " approaches) and " + mutants.size() + " mutants looked for, none inside", started);
    }

    /** Gradescope wants setup.sh and run_autograder at the zip's root, run_autograder executable. */
    private void gradescopeZip(Path bundle) throws IOException {
        Path zip = work.resolve("gradescope.zip");
        Edition.zip(bundle, zip, "");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("enablePosixFileAttributes", "true"))) {
            Path run = fs.getPath("/run_autograder");
            expect(Files.isRegularFile(fs.getPath("/setup.sh")) && Files.isRegularFile(run)
                    && Files.getPosixFilePermissions(run).contains(PosixFilePermission.OWNER_EXECUTE)
                    && Files.isRegularFile(fs.getPath("/threadwork/mvnw")),
                    "the Gradescope zip lacks setup.sh or an executable run_autograder at its root, or the edition");
        }
    }

    // ---------------------------------------------------------------- GitHub Actions, and Maven in the edition

    /**
     * Runs the workflow's own steps in a fresh edition (the one the Gradescope bundle holds), as a
     * runner would: Grade (./mvnw -B test), Scoreboard (the job summary), Verdict (green while the
     * grading ran, red on lost points only when the instructor asks).
     */
    private void workflow(Path edition) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Map<String, String> steps = new LinkedHashMap<>();
        JsonNode workflow = new YAMLMapper().readTree(edition.resolve(Edition.WORKFLOW_IN_EDITION).toFile());
        for (JsonNode step : workflow.path("jobs").path("grade").path("steps")) {
            if (step.has("run")) {
                steps.put(step.path("name").asText(), step.path("run").asText());
            }
        }
        expect(workflow.path("jobs").path("grade").path("steps").toString().contains("actions/upload-artifact"),
                "the workflow does not upload the reports");
        // The artifact is the reports, not the test JVM's scratch folder (its journal, its temporary files).
        expect(workflow.path("jobs").path("grade").path("steps").findValuesAsText("path").stream()
                        .anyMatch(path -> path.lines().map(String::strip).toList().contains("!target/grading/scratch/")),
                "the workflow's artifact carries target/grading/scratch/");
        expect(steps.keySet().containsAll(List.of("Grade", "Scoreboard", "Verdict")), "the workflow's steps are not Grade,"
                + " Scoreboard and Verdict: " + steps.keySet());
        Path runner = work.resolve("runner");
        Files.createDirectories(runner);
        Map<String, String> env = new LinkedHashMap<>(Map.of("GITHUB_OUTPUT", runner.resolve("output").toString(),
                "GITHUB_STEP_SUMMARY", runner.resolve("summary.md").toString(), "MAVEN_ARGS", MAVEN_ARGS,
                "FAIL_ON_LOST_POINTS", "false"));
        int grade = bash(steps.get("Grade"), edition, env, runner.resolve("grade.log"), 600);
        String output = Files.exists(runner.resolve("output")) ? Files.readString(runner.resolve("output")) : "";
        Path reports = edition.resolve("target/grading");
        expect(grade == 0 && output.contains("status=1") && Files.exists(reports.resolve("results.json")),
                "./mvnw -B test in a fresh student edition did not grade its stubs (step exit " + grade + ", " + output.strip()
                        + "; log: " + runner.resolve("grade.log") + ")");
        expect(Files.isRegularFile(edition.resolve("target/autograder/libraries.txt")),
                "-Pgrader-classpath wrote no target/autograder/libraries.txt in the edition");
        int summary = bash(steps.get("Scoreboard"), edition, env, runner.resolve("scoreboard.log"), 60);
        expect(summary == 0 && Files.exists(reports.resolve("summary.md")) && Files.readString(runner.resolve("summary.md"))
                .equals(Files.readString(reports.resolve("summary.md"))), "the workflow's job summary is not summary.md");

        // The verdict, on the reports just written (lost points) and on a grader that could not grade.
        Map<String, String> lost = new LinkedHashMap<>(env);
        lost.put("STATUS", "1");
        expect(bash(steps.get("Verdict"), edition, lost, runner.resolve("verdict.log"), 60) == 0,
                "the workflow's job is red on lost points although the instructor did not ask for that");
        lost.put("FAIL_ON_LOST_POINTS", "true");
        expect(bash(steps.get("Verdict"), edition, lost, runner.resolve("verdict.log"), 60) != 0,
                "the workflow's job stays green on lost points although the instructor asked for red");
        Path broken = runner.resolve("not-graded");
        Reports.failed(broken.resolve("target/grading"), "The grader itself failed (a test of the workflow's verdict).");
        lost.put("FAIL_ON_LOST_POINTS", "false");
        expect(bash(steps.get("Verdict"), broken, lost, runner.resolve("verdict.log"), 60) != 0,
                "the workflow's job is green although the grading could not run");
        lost.put("STATUS", "0");
        lost.put("FAIL_ON_LOST_POINTS", "true");
        expect(bash(steps.get("Verdict"), edition, lost, runner.resolve("verdict.log"), 60) == 0,
                "the workflow's job is red although every graded test passed");
        // What setup.sh adds after its Maven run, so that this edition serves as Gradescope's below.
        Files.writeString(edition.resolve("target/autograder/java"), Path.of(System.getProperty("java.home"), "bin", "java") + "\n");
        report("GitHub Actions: the workflow's steps in a fresh edition: ./mvnw -B test graded the stubs, the job summary"
                + " is summary.md, green on lost points unless THREADWORK_FAIL_ON_LOST_POINTS, red when not graded", started);
    }

    /**
     * Watch mode in a copy of that edition, as a student uses it: {@code ./mvnw -q test -Pwatch}
     * grades the stub, a save of the solution is graded again with full points, {@code quit} ends it.
     */
    private void watch(Path edition) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path copy = work.resolve("watch").resolve(Edition.NAME);
        copyTree(edition, copy);
        Path log = work.resolve("watch.log");
        ProcessBuilder builder = new ProcessBuilder(List.of("./mvnw", "-q", "-B", "test", "-Pwatch", "-Dexercise=" + EXERCISE))
                .directory(copy.toFile()).redirectErrorStream(true);
        // The grader's environment as it is (an older java may come first on its PATH), Maven on this JDK.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        Process process = builder.start();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "packaging-watch");
        pump.setDaemon(true);
        pump.start();
        try {
            int possible = Plan.parse(CHAPTER, kit.src("src", "test", "java", CHAPTER, EXERCISE + "Test.java")).stream()
                    .filter(Planned::graded).mapToInt(Planned::points).sum();
            String stub = result(lines, 300);
            expect(stub != null && stub.strip().startsWith("0/" + possible + " points"), "./mvnw -q test -Pwatch in the student"
                    + " edition did not grade the stub of " + EXERCISE + " (saw " + stub + "; log: " + log + ")");
            long saved = System.nanoTime();
            Files.writeString(copy.resolve("exercises").resolve(CHAPTER).resolve(EXERCISE + ".java"),
                    Files.readString(kit.src("solutions", CHAPTER, EXERCISE + ".java")));
            String solved = result(lines, 120);
            double seconds = (System.nanoTime() - saved) / 1e9;
            expect(solved != null && solved.strip().startsWith(possible + "/" + possible + " points") && solved.endsWith(": done"),
                    "watch mode in the student edition did not grade a saved solution of " + EXERCISE + " with full points (saw "
                            + solved + "; log: " + log + ")");
            try {
                process.getOutputStream().write("quit\n".getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().flush();
            } catch (IOException gone) {
                // it ended already; the next check says how
            }
            expect(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "watch mode did not end on quit (log: "
                    + log + ")");
            Path progress = copy.resolve(".threadwork/progress.json");
            expect(Files.exists(progress) && Files.readString(progress).contains("\"" + CHAPTER + "/" + EXERCISE + "\" : \"done\""),
                    "watch mode did not count " + EXERCISE + " as done in .threadwork/progress.json");
            report(String.format("watch mode in the edition: ./mvnw -q test -Pwatch graded the stub, a saved solution in %.1f s"
                    + " (full points), quit ended it", seconds), started);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The next "points" line watch mode prints, or null if none comes within {@code seconds}. */
    private static String result(java.util.concurrent.BlockingQueue<String> lines, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left = seconds; left > 0; left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())) {
            String line = lines.poll(left, TimeUnit.SECONDS);
            if (line != null && line.contains(" points (")) {
                return line;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- submissions

    /** Five submissions of {@value #EXERCISE}, as students hand them in. */
    private Map<String, Path> submissions() throws IOException {
        Path dir = work.resolve("submissions");
        String solution = Files.readString(kit.src("solutions", CHAPTER, EXERCISE + ".java"));
        Mutant mutant = Mutant.of(kit.basedir(), List.of(CHAPTER)).stream()
                .filter(m -> m.problem() == null && m.exercises().equals(List.of(EXERCISE))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no mutant of " + EXERCISE + " to submit as the wrong one"));
        Map<String, Path> submissions = new LinkedHashMap<>();
        // Correct: the reference solution, where a student might leave it (with an untouched stub of another exercise).
        Path correct = dir.resolve("correct");
        write(correct.resolve("my work/src/" + EXERCISE + ".java"), solution);
        Files.copy(kit.src("exercises", CHAPTER, "TemperatureFetcher.java"), correct.resolve("my work/src/TemperatureFetcher.java"));
        submissions.put("correct", correct);
        // Wrong: a mutant, where the kit keeps the exercise.
        Path wrong = dir.resolve("wrong");
        write(wrong.resolve("exercises/" + CHAPTER + "/" + EXERCISE + ".java"), mutant.sources().get(EXERCISE));
        write(wrong.resolve("mutant.txt"), mutant.name() + "\n" + mutant.names() + "\n");
        submissions.put("wrong", wrong);
        // Not compiling: the solution without its last closing brace, as a loose file.
        Path broken = dir.resolve("broken");
        write(broken.resolve(EXERCISE + ".java"), solution.substring(0, solution.lastIndexOf('}')));
        submissions.put("broken", broken);
        // Unchanged: the exercise's stub handed in as handed out.
        Path unchanged = dir.resolve("unchanged");
        Files.createDirectories(unchanged);
        Files.copy(kit.src("exercises", CHAPTER, EXERCISE + ".java"), unchanged.resolve(EXERCISE + ".java"));
        submissions.put("unchanged", unchanged);
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        submissions.put("empty", empty);
        return submissions;
    }

    // ---------------------------------------------------------------- Gradescope

    /** Runs run_autograder for each submission; returns the wrong one's result, for PrairieLearn's comparison. */
    private JsonNode gradescope(Path source, Map<String, Path> submissions) throws IOException, InterruptedException {
        Path root = source.getParent();
        Files.copy(source.resolve("run_autograder"), root.resolve("run_autograder")); // where Gradescope puts it
        double possible = Plan.parse(CHAPTER, kit.src("src", "test", "java", CHAPTER, EXERCISE + "Test.java")).stream()
                .filter(Planned::graded).mapToInt(Planned::points).sum();
        JsonNode wrong = null;
        List<String> times = new ArrayList<>();
        for (Map.Entry<String, Path> s : submissions.entrySet()) {
            long started = System.nanoTime();
            JsonNode result = runAutograder(root, s.getValue(), Map.of());
            times.add(s.getKey() + String.format(" %.1f s", (System.nanoTime() - started) / 1e9));
            String what = "run_autograder, the " + s.getKey() + " submission: ";
            gradescopeFields(result, what);
            double score = result.path("score").asDouble(-1);
            double max = 0;
            for (JsonNode test : result.path("tests")) {
                max += test.path("max_score").asDouble();
            }
            String output = result.path("output").asText();
            String tests = result.path("tests").toString();
            expect(max == possible, what + "the tests are worth " + max + " points, the exercise " + possible);
            switch (s.getKey()) {
                case "correct" -> expect(score == possible && output.contains("Graded from the submission: " + CHAPTER + "/" + EXERCISE
                        + ".java (my work/src/" + EXERCISE + ".java)"), what + "scored " + score + " of " + possible
                        + " or did not say which file it graded: " + output);
                case "wrong" -> {
                    String names = Files.readAllLines(s.getValue().resolve("mutant.txt")).get(1);
                    expect(score > 0 && score < possible && tests.toLowerCase().contains(names.toLowerCase()),
                            what + "scored " + score + " of " + possible + ", or no failure names the mistake (\"" + names + "\")");
                    wrong = result;
                }
                case "broken" -> expect(score == 0 && tests.contains("does not compile") && tests.contains(EXERCISE + ".java:"),
                        what + "scored " + score + ", or its tests do not give the compiler's message");
                case "unchanged" -> expect(score == 0 && output.contains("unchanged from its stub, so not done yet: "
                        + CHAPTER + "/" + EXERCISE + ".java") && !output.contains("No exercise file"),
                        what + "scored " + score + ", or the output does not say the stub came back unchanged: " + output);
                // A one-chapter assignment names its own chapter's package, not the kit's twelve.
                default -> expect(score == 0 && output.contains("No exercise file in the submission (a .java file declaring package "
                        + CHAPTER + ")"), what + "scored " + score + ", or the output does not say that nothing of " + CHAPTER
                        + " was found: " + output);
            }
        }
        // The grader's own limits: past the time limit, and a grader that cannot even start.
        long started = System.nanoTime();
        JsonNode late = runAutograder(root, submissions.get("correct"), Map.of("THREADWORK_TIME_LIMIT", "1"));
        gradescopeFields(late, "run_autograder past its time limit: ");
        expect(late.path("score").asDouble(-1) == 0 && late.path("output").asText().contains("did not finish within 1 s"),
                "run_autograder past its time limit did not say so with a score of 0: " + late);
        JsonNode broken = runAutograder(root, submissions.get("correct"), Map.of("THREADWORK_RELEASE", "not-a-number"));
        gradescopeFields(broken, "run_autograder whose grader cannot start: ");
        expect(broken.path("score").asDouble(-1) == 0 && broken.path("output").asText().contains("could not run"),
                "run_autograder whose grader cannot start did not say so with a score of 0: " + broken);
        times.add(String.format("past the time limit and not starting %.1f s", (System.nanoTime() - started) / 1e9));
        report("Gradescope: run_autograder against a temporary /autograder (" + String.join(", ", times) + ")", 0);
        return wrong == null ? JSON.createObjectNode() : wrong;
    }

    /**
     * Each kept hostile submission handed in to run_autograder as a student would hand it in (its
     * files only): it must get its honest score there too, be caught where it tampers, have as many
     * files reported ignored, and leave nothing that changes the result after the grading.
     */
    private void hostile(Path root) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Files.copy(root.resolve("source/run_autograder"), root.resolve("run_autograder"));
        List<String> held = new ArrayList<>();
        for (Hostile h : Hostile.of(kit.basedir(), kit.chapters())) {
            long one = System.nanoTime();
            JsonNode result = runAutograder(root, h.files(), Map.of("THREADWORK_CHAPTER", h.chapter(),
                    "THREADWORK_EXERCISE", String.join(",", h.exercises())));
            String text = result.toString();
            if (h.watch() > 0) {
                Thread.sleep(h.watch() * 1000L); // long enough for anything left behind to act
            }
            Path file = root.resolve("results/results.json");
            String output = result.path("output").asText();
            long ignored = output.lines().filter(l -> l.startsWith("Note: ignored")).count();
            List<String> wrong = new ArrayList<>();
            if (result.path("score").asDouble(-1) != h.score()) {
                wrong.add("scored " + result.path("score") + ", honest score " + Scoreboard.points(h.score()));
            }
            if (h.tampered() != output.contains("Grading was tampered with")) {
                wrong.add(h.tampered() ? "the tampering went unnoticed" : "reported as tampered");
            }
            if (h.ignored() >= 0 && ignored != h.ignored()) {
                wrong.add(ignored + " files reported as ignored, expected " + h.ignored());
            }
            if (!Files.exists(file) || !JSON.readTree(file.toFile()).toString().equals(text)) {
                wrong.add("results.json changed after the grading ended");
            }
            expect(wrong.isEmpty(), "hostile submission " + h.name() + " through run_autograder: " + String.join("; ", wrong));
            held.add(h.name() + " " + Scoreboard.points(result.path("score").asDouble())
                    + String.format(" (%.1f s)", (System.nanoTime() - one) / 1e9));
        }
        report("hostile submissions through run_autograder, each its honest score: " + String.join(", ", held), started);
    }

    private JsonNode runAutograder(Path root, Path submission, Map<String, String> env) throws IOException, InterruptedException {
        Path into = root.resolve("submission");
        Compilation.clean(into);
        copyTree(submission, into);
        Compilation.clean(root.resolve("results"));
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("AUTOGRADER_ROOT", root.toString());
        Path log = root.resolve("run_autograder.log");
        int status = run(List.of(root.resolve("run_autograder").toString()), root, all, log, 600);
        Path result = root.resolve("results/results.json");
        expect(status == 0 && Files.exists(result), "run_autograder ended with " + status + " and "
                + (Files.exists(result) ? "a" : "no") + " results.json (log: " + log + ")");
        return Files.exists(result) ? JSON.readTree(result.toFile()) : JSON.createObjectNode();
    }

    /** Only Gradescope's documented fields, each of its documented type or values; no top-level max_score. */
    private void gradescopeFields(JsonNode result, String what) {
        List<String> wrong = new ArrayList<>();
        result.fieldNames().forEachRemaining(f -> {
            if (!GRADESCOPE_TOP.contains(f)) {
                wrong.add("an undocumented field " + f);
            }
        });
        if (!result.path("score").isNumber()) {
            wrong.add("no numeric score");
        }
        for (String format : List.of("output_format", "test_output_format")) {
            if (result.has(format) && !GRADESCOPE_FORMATS.contains(result.path(format).asText())) {
                wrong.add(format + " " + result.path(format));
            }
        }
        for (JsonNode test : result.path("tests")) {
            test.fieldNames().forEachRemaining(f -> {
                if (!GRADESCOPE_TEST.contains(f)) {
                    wrong.add("a test with an undocumented field " + f);
                }
            });
            if (!test.path("name").isTextual() || !GRADESCOPE_VISIBILITY.contains(test.path("visibility").asText("visible"))
                    || test.has("number") && !test.path("number").isTextual()) {
                wrong.add("a test whose fields are not of their documented types: " + test);
            }
            wrong.addAll(gradescopeStatus(test));
        }
        expect(wrong.isEmpty(), what + "results.json is not as Gradescope documents it: " + wrong);
    }

    /**
     * What is wrong with a Gradescope test's score and status: a graded test has both, "passed" or
     * "failed"; one not graded on this machine has neither (Gradescope shows 0 of 0 as passed), and
     * its name says so.
     */
    static List<String> gradescopeStatus(JsonNode test) {
        boolean notGraded = test.path("name").asText().contains("not graded on this machine")
                || test.path("name").asText().contains("not run on this machine");
        if (notGraded) {
            return test.has("status") || test.has("score") || test.has("max_score")
                    ? List.of("a test not graded on this machine with a status or a score, which Gradescope shows as passed: " + test)
                    : List.of();
        }
        return !test.path("score").isNumber() || !test.path("max_score").isNumber()
                || !Set.of("passed", "failed").contains(test.path("status").asText())
                ? List.of("a graded test without its score, max_score and status (passed or failed): " + test) : List.of();
    }

    // ---------------------------------------------------------------- PrairieLearn

    private void prairieLearn(Path source, Path submission, JsonNode gradescope) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path root = work.resolve("grade");
        Compilation.clean(root.resolve("student"));
        copyTree(submission, root.resolve("student"));
        JsonNode result = entrypoint(source, root, Map.of());
        prairieLearnFields(result, "PrairieLearn's entrypoint, the wrong submission: ");
        double max = 0;
        for (JsonNode test : gradescope.path("tests")) {
            max += test.path("max_score").asDouble();
        }
        // Gradescope's score is in points to 2 decimals, PrairieLearn's the unrounded fraction (3 of 9 is not 0.33).
        double expected = max == 0 ? -1 : gradescope.path("score").asDouble() / max;
        expect(result.path("gradable").asBoolean(false) && Math.abs(result.path("score").asDouble(-2) - expected) * max < 0.006
                && result.path("tests").size() == gradescope.path("tests").size(),
                "PrairieLearn's entrypoint, the wrong submission: not gradable, or a score other than Gradescope's "
                        + expected + ": " + result.path("score"));
        JsonNode broken = entrypoint(source, root, Map.of("THREADWORK_RELEASE", "not-a-number"));
        prairieLearnFields(broken, "PrairieLearn's entrypoint whose grader cannot start: ");
        expect(!broken.path("gradable").asBoolean(true) && broken.path("message").asText().contains("could not run"),
                "PrairieLearn's entrypoint whose grader cannot start did not say \"gradable\": false with why: " + broken);
        report("PrairieLearn: the entrypoint against a temporary /grade: the wrong submission's score is Gradescope's as a"
                + " fraction; a grader that cannot start is \"not gradable\"", started);
    }

    private JsonNode entrypoint(Path source, Path root, Map<String, String> env) throws IOException, InterruptedException {
        Compilation.clean(root.resolve("results"));
        Files.delete(root.resolve("results")); // PrairieLearn does not make it: the entrypoint must
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("PRAIRIELEARN_GRADE_ROOT", root.toString());
        int status = run(List.of(source.resolve("prairielearn-entrypoint").toString()), root, all, work.resolve("entrypoint.log"), 600);
        Path result = root.resolve("results/results.json");
        expect(status == 0 && Files.exists(result), "PrairieLearn's entrypoint ended with " + status + " and "
                + (Files.exists(result) ? "a" : "no") + " results.json (log: " + work.resolve("entrypoint.log") + ")");
        return Files.exists(result) ? JSON.readTree(result.toFile()) : JSON.createObjectNode();
    }

    private void prairieLearnFields(JsonNode result, String what) {
        List<String> wrong = new ArrayList<>();
        result.fieldNames().forEachRemaining(f -> {
            if (!PRAIRIELEARN_TOP.contains(f)) {
                wrong.add("an undocumented field " + f);
            }
        });
        if (!result.path("gradable").isBoolean()) {
            wrong.add("no boolean gradable");
        }
        if (result.path("gradable").asBoolean(false)
                && (!result.path("score").isNumber() || result.path("score").asDouble() < 0 || result.path("score").asDouble() > 1)) {
            wrong.add("a gradable result without a score from 0 to 1");
        }
        for (JsonNode test : result.path("tests")) {
            test.fieldNames().forEachRemaining(f -> {
                if (!PRAIRIELEARN_TEST.contains(f)) {
                    wrong.add("a test with an undocumented field " + f);
                }
            });
            if (!test.path("name").isTextual() || !test.path("points").isNumber() || !test.path("max_points").isNumber()) {
                wrong.add("a test without its name, points and max_points: " + test);
            }
        }
        expect(wrong.isEmpty(), what + "results.json is not as PrairieLearn documents it: " + wrong);
    }

    // ---------------------------------------------------------------- batch grading

    private void gradeAll(Map<String, Path> submissions) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path from = work.resolve("class");
        copyTree(submissions.get("correct"), from.resolve("alice"));
        copyTree(submissions.get("broken"), from.resolve("bob, jr."));
        Path results = work.resolve("grade-all");
        Path copies = work.resolve("grade-all-copies");
        Files.createDirectories(copies);
        GradeAll all = new GradeAll();
        all.basedir = kit.basedir();
        all.submissions = from.toString();
        all.options.release = kit.release();
        all.options.properties = new LinkedHashMap<>(kit.properties());
        all.options.chapter = CHAPTER;
        all.options.exercise = EXERCISE;
        all.seconds = 480;
        all.results = results;
        all.workRoot = copies;
        all.out = new PrintStream(Files.newOutputStream(work.resolve("grade-all.log")), true, StandardCharsets.UTF_8);
        int status = all.call();
        all.out.close();
        List<String> csv = Files.exists(results.resolve("scores.csv")) ? Files.readAllLines(results.resolve("scores.csv")) : List.of();
        int possible = Plan.parse(CHAPTER, kit.src("src", "test", "java", CHAPTER, EXERCISE + "Test.java")).stream()
                .filter(Planned::graded).mapToInt(Planned::points).sum();
        expect(status == 0 && csv.size() == 3 && csv.get(1).startsWith("alice," + possible + "," + possible + ",true,")
                && csv.get(2).startsWith("\"bob, jr.\",0," + possible + ",true,"),
                "grade-all of two students: exit " + status + ", scores.csv " + csv + " (log: " + work.resolve("grade-all.log") + ")");
        expect(Files.exists(results.resolve("alice/results.json")) && Files.exists(results.resolve("bob, jr./summary.md")),
                "grade-all wrote no report folder per student");
        try (Stream<Path> left = Files.list(copies)) {
            List<Path> leftovers = left.toList();
            expect(leftovers.isEmpty(), "grade-all left the fresh copies behind: " + leftovers);
        }
        report("batch grading: two students, each in a fresh copy deleted afterwards; scores.csv " + String.join(" | ",
                csv.subList(Math.min(1, csv.size()), csv.size())), started);
    }

    // ---------------------------------------------------------------- a class on GitHub Actions

    /**
     * The steps of graders/github/class-grading.yml, run as a runner runs them, in a copy of the kit
     * (an instructor's repository), for a class of local git repositories reached as owner/name: one
     * solved, one untouched, one that does not compile, one empty, one missing; three shards of two.
     * The gradebook is merged once before the last shard ran (its rows say so, the step is red) and
     * once after (every row graded or with its reason).
     */
    private void classGrading(Map<String, Path> submissions) throws IOException, InterruptedException {
        long started = System.nanoTime();
        JsonNode workflow = new YAMLMapper().readTree(kit.src("graders", "github", "class-grading.yml").toFile());
        Map<String, String> steps = new LinkedHashMap<>();
        for (String job : List.of("plan", "grade", "merge")) {
            for (JsonNode step : workflow.path("jobs").path(job).path("steps")) {
                if (step.has("run")) {
                    steps.put(step.path("name").asText(), step.path("run").asText());
                }
            }
        }
        expect(steps.keySet().containsAll(List.of("Roster", "Plan", "Grade", "Gradebook")),
                "the class-grading workflow's steps are not Roster, Plan, Grade and Gradebook: " + steps.keySet());
        expect(workflow.path("jobs").path("grade").path("strategy").path("fail-fast").asText().equals("false"),
                "the class-grading workflow's shards stop at the first that fails (fail-fast)");
        if (!steps.keySet().containsAll(List.of("Roster", "Plan", "Grade", "Gradebook"))) {
            return;
        }
        // The class: git repositories reached as class/<name>, as github.com/owner/name would be.
        Path repos = work.resolve("class-repos");
        String possible = String.valueOf(Plan.parse(CHAPTER, kit.src("src", "test", "java", CHAPTER, EXERCISE + "Test.java")).stream()
                .filter(Planned::graded).mapToInt(Planned::points).sum());
        Map<String, Path> handedIn = new LinkedHashMap<>(Map.of("ada", submissions.get("correct"),
                "ben", submissions.get("unchanged"), "cy", submissions.get("broken")));
        for (Map.Entry<String, Path> student : handedIn.entrySet()) {
            Path repo = repos.resolve("class/" + student.getKey() + ".git");
            copyTree(student.getValue(), repo);
            gitIn(repo, "init", "-q");
            gitIn(repo, "add", "-A");
            gitIn(repo, "-c", "user.name=Student", "-c", "user.email=student@example.org", "commit", "-q", "-m", "homework");
        }
        gitIn(Files.createDirectories(repos.resolve("class/dee.git")), "init", "-q"); // empty: no commit
        // The instructor's repository: this kit, its classes as built (Maven finds them up to date).
        Path instructor = work.resolve("instructor");
        Edition.copyTree(kit.basedir(), instructor, p -> p.startsWith(".git") || p.startsWith("target"));
        for (String built : List.of("target/classes", "target/test-classes")) {
            copyTree(kit.basedir().resolve(built), instructor.resolve(built));
        }
        write(instructor.resolve("roster.txt"), "# the class\nclass/ada\nclass/ben\nclass/cy\nclass/dee\nclass/eve\n");
        Path runner = work.resolve("class-runner");
        Files.createDirectories(runner);
        Map<String, String> env = new LinkedHashMap<>(Map.of("GITHUB_OUTPUT", runner.resolve("output").toString(),
                "GITHUB_STEP_SUMMARY", runner.resolve("summary.md").toString(), "ROSTER", "roster.txt", "ORGANIZATION", "",
                "PREFIX", "", "CHAPTER", CHAPTER, "SHARD_SIZE", "2", "THREADWORK_GIT_BASE", repos.toUri().toString().replaceFirst("/$", ""),
                // the exercise, and Maven comparing the classes' times only (its own list names the kit's paths)
                "MAVEN_ARGS", "-Dexercise=" + EXERCISE + " -Dmaven.compiler.useIncrementalCompilation=false"));
        Path log = runner.resolve("steps.log");
        int roster = bash(steps.get("Roster"), instructor, env, log, 60);
        int plan = bash(steps.get("Plan"), instructor, env, log, 300);
        String output = Files.exists(runner.resolve("output")) ? Files.readString(runner.resolve("output")) : "";
        expect(roster == 0 && plan == 0 && output.contains("matrix={\"shard\":[1,2,3]}"), "the class-grading plan of 5 repositories"
                + " in shards of 2: Roster exit " + roster + ", Plan exit " + plan + ", output " + output.strip() + " (log: " + log + ")");
        Path dir = instructor.resolve("target/class-grading");
        for (String shard : List.of("1", "2")) {
            Map<String, String> one = new LinkedHashMap<>(env);
            one.put("SHARD", shard);
            expect(bash(steps.get("Grade"), instructor, one, log, 600) == 0, "the class-grading shard " + shard + " failed (log: " + log + ")");
        }
        // Shard 3 has not run yet (as when its job failed): the merge is red and its rows say so.
        int early = bash(steps.get("Gradebook"), instructor, env, log, 300);
        List<String> partial = Files.exists(dir.resolve("gradebook.csv")) ? Files.readAllLines(dir.resolve("gradebook.csv")) : List.of();
        expect(early != 0 && partial.stream().anyMatch(r -> r.startsWith("eve,class/eve," + CHAPTER + ",,")
                && r.endsWith("not graded: shard 3 did not finish (re-run its failed job)")),
                "the gradebook merged before shard 3 finished: exit " + early + ", " + partial);
        Map<String, String> last = new LinkedHashMap<>(env);
        last.put("SHARD", "3");
        int third = bash(steps.get("Grade"), instructor, last, log, 600);
        int merged = bash(steps.get("Gradebook"), instructor, env, log, 300);
        List<String> book = Files.exists(dir.resolve("gradebook.csv")) ? Files.readAllLines(dir.resolve("gradebook.csv")) : List.of();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        book.stream().skip(1).forEach(r -> rows.put(ClassGrading.fields(r).get(0), ClassGrading.fields(r)));
        String commit = gitIn(repos.resolve("class/ada.git"), "rev-parse", "HEAD").strip();
        expect(third == 0 && merged == 0 && book.size() == 6 && book.get(0).equals(ClassGrading.HEADER)
                && rows.keySet().equals(Set.of("ada", "ben", "cy", "dee", "eve"))
                && rows.get("ada").subList(3, 7).equals(List.of(possible, possible, "true", commit))
                && !rows.get("ada").get(7).isEmpty()
                && rows.get("ben").subList(3, 6).equals(List.of("0", possible, "true"))
                && rows.get("cy").subList(3, 6).equals(List.of("0", possible, "true"))
                && rows.get("cy").get(9).startsWith("does not compile: ")
                && rows.get("dee").get(5).equals("false") && rows.get("dee").get(9).contains("empty")
                && rows.get("eve").get(5).equals("false") && rows.get("eve").get(9).contains("missing"),
                "the class's gradebook after every shard: shard 3 exit " + third + ", merge exit " + merged + ", " + book
                        + " (log: " + log + ")");
        String summary = Files.exists(runner.resolve("summary.md")) ? Files.readString(runner.resolve("summary.md")) : "";
        expect(summary.contains("| ada | " + CHAPTER + " | " + possible + "/" + possible + " |"),
                "the class-grading run's page has no gradebook summary: " + summary);
        report("GitHub Actions, a class: the class-grading workflow's steps against 5 local repositories in 3 shards: "
                + String.join(" | ", book.subList(Math.min(1, book.size()), book.size())), started);
    }

    /** git in {@code dir}; its output, or an IOException naming the command. */
    private static String gitIn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (git.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output);
        }
        return output;
    }

    // ---------------------------------------------------------------- helpers

    private int bash(String script, Path dir, Map<String, String> env, Path log, long seconds)
            throws IOException, InterruptedException {
        // As a GitHub-hosted runner runs a step's script.
        return run(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script), dir, env, log, seconds);
    }

    /** Runs a command with a clean environment (PATH, HOME, JAVA_HOME, and {@code env}), its output to {@code log}. */
    private int run(List<String> command, Path dir, Map<String, String> env, Path log, long seconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        cleanEnvironment(builder.environment(), env);
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            return -1;
        }
        return process.exitValue();
    }

    /** PATH, HOME, JAVA_HOME and {@code env} only, the JDK first on the PATH, as actions/setup-java and setup.sh leave it. */
    private static void cleanEnvironment(Map<String, String> environment, Map<String, String> env) {
        String path = environment.getOrDefault("PATH", "/usr/bin:/bin");
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        environment.clear();
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + path);
        environment.put("HOME", home);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.putAll(env);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Edition.copyTree(from, to, p -> false);
    }

    private synchronized void report(String line, long started) {
        out.println("  " + line + (started == 0 ? "" : String.format(" (%.1f s)", (System.nanoTime() - started) / 1e9)));
    }

    private synchronized void expect(boolean ok, String gap) {
        if (ok) {
            passed++;
        } else {
            gaps.add(gap);
            out.println("  GAP: " + gap);
        }
    }
}
