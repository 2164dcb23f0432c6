package grader;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw verify -Pkit-check}: the kit's test of itself. The build has already compiled the
 * stubs and the tests against each other; this grades the solutions (every graded test must
 * pass), the stubs (every graded test must fail; demonstrations are listed instead) and every
 * mutant (a wrong solution a student might write, under {@code src/test/mutants/<chapter>/<name>/}:
 * at least one graded test of its exercise must fail), and checks GRADING.md against the points
 * in the code. It prints one table and marks the build red on any gap.
 */
@Command(name = "kit-check", mixinStandardHelpOptions = true)
public final class SelfCheck implements Callable<Integer> {

    private static final Pattern RUBRIC_ROW = Pattern.compile(
            "^\\|\\s*(ch\\d\\d_\\w+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|\\s*(\\d+)\\s*\\|", Pattern.MULTILINE);

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--chapter", defaultValue = "")
    String chapter;

    private final PrintStream out = System.out;
    private final List<String> gaps = new ArrayList<>();
    private final List<String> notCheckedHere = new ArrayList<>();
    private int checksPassed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SelfCheck()).execute(args));
    }

    /** A mutant's fate: the graded test that killed it, and what that test said. */
    record Verdict(Mutant mutant, String killer, String message) {
        boolean killed() {
            return killer != null;
        }

        /** Whether the killing message names the mutant's mistake (its {@code Names:} phrase). */
        boolean named() {
            return killed() && mutant.names() != null
                    && message.toLowerCase(Locale.ROOT).contains(mutant.names().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public Integer call() throws Exception {
        String unknown = Chapters.checkChapter(basedir, chapter);
        if (unknown != null) {
            System.err.println(unknown);
            return 2;
        }
        long start = System.nanoTime();
        Path work = basedir.resolve("target/kit-check");
        Files.createDirectories(work);
        List<String> chapters = chapter.isBlank() ? Chapters.all(basedir) : List.of(chapter);
        String classpath = System.getProperty("java.class.path");

        out.println("kit-check: grading the solutions ...");
        Path solutionClasses = compile(work.resolve("solutions/classes"), sources(chapters.stream()
                .map(c -> basedir.resolve("solutions").resolve(c)).toList()), classpath);
        Journal.State solutions = run(work.resolve("solutions"), prepend(solutionClasses, classpath), List.of());

        out.println("kit-check: grading the stubs ...");
        Journal.State stubs = run(work.resolve("stubs"), classpath, List.of());

        List<Mutant> mutants = Mutant.of(basedir, chapters);
        List<Verdict> verdicts = new ArrayList<>();
        for (Mutant mutant : mutants) {
            if (mutant.problem() != null) {
                check(false, "mutant " + mutant.chapter() + "/" + mutant.name() + ": " + mutant.problem());
                continue;
            }
            out.printf("kit-check: mutant %s/%s (%s) ...%n", mutant.chapter(), mutant.name(), mutant.mistake());
            Path dir = work.resolve("mutants").resolve(mutant.chapter()).resolve(mutant.name());
            List<Path> sources = new ArrayList<>();
            for (Map.Entry<String, String> source : mutant.sources().entrySet()) {
                Path file = dir.resolve("src").resolve(mutant.chapter()).resolve(source.getKey() + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                sources.add(file);
            }
            Path classes = compile(dir.resolve("classes"), sources, prepend(solutionClasses, classpath));
            List<String> selection = List.of("--chapter=" + mutant.chapter(),
                    "--exercise=" + String.join(",", mutant.exercises()), "--fail-fast");
            // A mutant is the solution with these classes wrong: the chapter's other exercises are the
            // solutions, or an exercise that uses another (Multitasking uses EventLoop) dies on a stub.
            verdicts.add(verdict(mutant, run(dir, prepend(classes, prepend(solutionClasses, classpath)), selection)));
        }

        report(chapters, solutions, stubs, verdicts);
        checkRubric(chapters, solutions);
        double minutes = (System.nanoTime() - start) / 60e9;
        out.printf("%nkit-check took %.1f min.%n", minutes);
        if (!gaps.isEmpty()) {
            out.println("Gaps:");
            gaps.forEach(gap -> out.println("  - " + gap));
        }
        out.println("kit-check: " + checksPassed + " passed, " + gaps.size() + " failed");
        if (!gaps.isEmpty()) {
            out.println("The self-check found " + gaps.size() + " gaps: the table above marks them.");
        }
        return gaps.isEmpty() ? 0 : 1;
    }

    private Journal.State run(Path dir, String classpath, List<String> selection) throws InterruptedException {
        List<String> options = new ArrayList<>(selection);
        if (options.stream().noneMatch(o -> o.startsWith("--chapter="))) {
            options.add("--chapter=" + chapter);
        }
        return new Supervisor(classpath, basedir.resolve("target/test-classes"), dir, options, true).run();
    }

    private static Verdict verdict(Mutant mutant, Journal.State state) {
        for (Planned test : state.plan()) {
            Outcome outcome = state.outcomes().get(test.id());
            if (test.graded() && outcome != null && outcome.status() == Outcome.Status.FAILED) {
                return new Verdict(mutant, test.name(), outcome.message());
            }
        }
        return new Verdict(mutant, null, null);
    }

    private void report(List<String> chapters, Journal.State solutions, Journal.State stubs, List<Verdict> verdicts) {
        Scoreboard solved = new Scoreboard(solutions, 0);
        Scoreboard stubbed = new Scoreboard(stubs, 0);
        out.println();
        out.printf("%-16s %-24s %14s %12s %16s%n", "chapter", "exercise", "solution ok", "stub fails", "mutants killed");
        for (Scoreboard.ExerciseScore exercise : solved.exercises()) {
            List<Scoreboard.Row> solutionRows = exercise.rows();
            long solutionOk = solutionRows.stream().filter(r -> !r.failed()).count();
            List<Scoreboard.Row> stubRows = stubbed.gradedRows().stream()
                    .filter(r -> r.test().chapter().equals(exercise.chapter()) && r.test().exercise().equals(exercise.exercise()))
                    .toList();
            long stubFails = stubRows.stream().filter(Scoreboard.Row::failed).count();
            List<Verdict> mine = verdicts.stream().filter(v -> v.mutant().chapter().equals(exercise.chapter())
                    && v.mutant().exercises().contains(exercise.exercise())).toList();
            long killed = mine.stream().filter(Verdict::killed).count();
            out.printf("%-16s %-24s %14s %12s %16s%n", exercise.chapter(), exercise.exercise(),
                    solutionOk + "/" + solutionRows.size(), stubFails + "/" + stubRows.size(), killed + "/" + mine.size());
            for (Scoreboard.Row row : solutionRows) {
                check(!row.failed(), "solution fails: " + row.test().title() + ": " + row.outcome().hint());
            }
            for (Scoreboard.Row row : stubRows) {
                if (row.outcome().status() == Outcome.Status.NOT_GRADABLE) {
                    notCheckedHere.add(row.test().title() + ": " + row.outcome().hint());
                } else {
                    check(row.failed(), "stub passes a graded test: " + row.test().title());
                }
            }
            check(stubRows.size() == solutionRows.size(), "the stub run saw " + stubRows.size() + " graded tests of "
                    + exercise.exercise() + ", the solution run " + solutionRows.size());
        }
        for (Scoreboard.Row demo : solved.demonstrations()) {
            check(!demo.failed(), "demonstration not shown with the solutions: " + demo.test().title() + ": "
                    + demo.outcome().hint());
        }
        out.println();
        out.println("Demonstrations (no points; not expected to fail on the stubs):");
        for (Scoreboard.Row demo : stubbed.demonstrations()) {
            out.println("  " + demo.test().title() + ": with the stubs " + Scoreboard.shown(demo));
            if (demo.outcome().status() == Outcome.Status.NOT_GRADABLE) {
                notCheckedHere.add(demo.test().title() + ": " + demo.outcome().hint());
            } else {
                check(demo.passed(), "demonstration not shown with the stubs: " + demo.test().title());
            }
        }
        if (!notCheckedHere.isEmpty()) {
            out.println();
            out.println("Not checkable on this machine (listed, not counted):");
            notCheckedHere.forEach(line -> out.println("  " + line));
        }
        out.println();
        out.println("Mutants:");
        for (Verdict v : verdicts) {
            Mutant m = v.mutant();
            out.printf("  %-8s %s/%s: %s%n", v.killed() ? "killed" : "SURVIVED", m.chapter(), m.name(), m.mistake());
            if (v.killed()) {
                out.println("           by \"" + v.killer() + "\": " + new Outcome(null, null, v.message(), 0).hint());
                out.println("           its message " + (v.named() ? "names" : "DOES NOT NAME") + " the mistake (\""
                        + m.names() + "\")");
            }
            check(v.killed(), "mutant survived: " + m.chapter() + "/" + m.name() + " (" + m.mistake() + ")");
        }
        for (String c : chapters) {
            check(solved.exercises().stream().anyMatch(e -> e.chapter().equals(c)), "chapter " + c + " has no graded test");
        }
    }

    /** GRADING.md's rows {@code | chapter | number | exercise | points |} must match the code's points. */
    private void checkRubric(List<String> chapters, Journal.State solutions) throws IOException {
        Path rubric = basedir.resolve("GRADING.md");
        Map<String, Integer> written = new TreeMap<>();
        if (Files.exists(rubric)) {
            Matcher row = RUBRIC_ROW.matcher(Files.readString(rubric));
            while (row.find()) {
                if (chapters.contains(row.group(1))) {
                    written.put(row.group(1) + " " + row.group(2) + " " + row.group(3), Integer.parseInt(row.group(4)));
                }
            }
        }
        Map<String, Integer> coded = new TreeMap<>();
        for (Planned test : solutions.plan()) {
            if (test.graded()) {
                coded.merge(test.chapter() + " " + test.number() + " " + test.exercise(), test.points(), Integer::sum);
            }
        }
        Map<String, String> differences = new LinkedHashMap<>();
        coded.forEach((key, points) -> {
            if (!Objects.equals(written.get(key), points)) {
                differences.put(key, "the code gives " + points + ", GRADING.md " + written.get(key));
            }
        });
        written.keySet().stream().filter(key -> !coded.containsKey(key))
                .forEach(key -> differences.put(key, "in GRADING.md but no graded test has it"));
        out.println();
        out.println("GRADING.md: " + (differences.isEmpty() ? "agrees with the points in the code ("
                + coded.size() + " exercises)" : "disagrees with the code"));
        differences.forEach((key, why) -> {
            out.println("  " + key + ": " + why);
            check(false, "GRADING.md: " + key + ": " + why);
        });
        if (differences.isEmpty()) {
            checksPassed++;
        }
    }

    private void check(boolean ok, String gap) {
        if (ok) {
            checksPassed++;
        } else {
            gaps.add(gap);
        }
    }

    private static List<Path> sources(List<Path> dirs) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
                }
            }
        }
        return sources;
    }

    private static Path compile(Path outDir, List<Path> sources, String classpath) throws IOException {
        Files.createDirectories(outDir);
        if (sources.isEmpty()) {
            return outDir;
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "21", "-proc:none", "-nowarn", "-encoding", "UTF-8",
                "-cp", classpath, "-d", outDir.toString()));
        sources.forEach(p -> args.add(p.toString()));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("cannot compile " + sources + ":\n" + errors.toString(StandardCharsets.UTF_8));
        }
        return outDir;
    }

    private static String prepend(Path classes, String classpath) {
        return classes + File.pathSeparator + classpath;
    }
}
