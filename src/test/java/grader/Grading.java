package grader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grading one implementation (the student's exercises, the solutions): compile it chapter by
 * chapter, compile the chapters' tests against it, plan from the kit's own test classes, run what
 * can run in a test JVM, and score. A file that does not compile fails its own exercise's tests
 * with the compiler's message; everything else is graded as usual.
 */
final class Grading {

    /** What one implementation's grading produced. */
    record Graded(Scoreboard board, List<Planned> plan, Map<String, Outcome> outcomes, List<Path> classpath) {
    }

    /** An implementation compiled and planned, ready to run. */
    record Prepared(List<Planned> plan, Map<String, Outcome> failedToCompile, List<Path> classpath, List<String> notes,
            Map<String, Compilation.Implementation> implementations, Map<String, Compilation.Tests> tests) {
    }

    private final Kit kit;
    private final Sandbox sandbox;
    private final Compilation compilation;
    private final List<Path> alsoHidden = new ArrayList<>();
    private Path jcstressReports;
    private Supervisor.Ready ready;
    /** Each chapter's plan by its compiled tests' folder, with the key they were compiled under. */
    private final Map<Path, Map.Entry<String, List<Planned>>> plans = new java.util.concurrent.ConcurrentHashMap<>();

    Grading(Kit kit, Sandbox sandbox) {
        this.kit = kit;
        this.sandbox = sandbox;
        this.compilation = new Compilation(kit);
    }

    Compilation compilation() {
        return compilation;
    }

    /** Keeps jcstress's reports in {@code dir}, for a reader who has this machine's files (see {@link Supervisor#keepJcstressReports}). */
    void keepJcstressReports(Path dir) {
        jcstressReports = dir;
    }

    /** Folders hidden from the test JVM besides the kit's answers (batch grading: the other submissions). */
    void hide(List<Path> folders) {
        alsoHidden.addAll(folders);
    }

    /**
     * Compiles {@code root} (exercises/ or solutions/) and the tests of {@code chapters} against it,
     * and plans the tests of {@code exercises} (all when empty).
     */
    Prepared prepare(String label, Path root, List<String> chapters, Set<String> exercises) throws IOException {
        List<Planned> plan = new ArrayList<>();
        Map<String, Outcome> failed = new LinkedHashMap<>();
        List<Path> classpath = new ArrayList<>();
        List<String> notes = new ArrayList<>(compilation.strays(root, kit.chapters()).stream().map(s -> "ignored " + s).toList());
        Map<String, Compilation.Implementation> implementations = new LinkedHashMap<>();
        Map<String, Compilation.Tests> tests = new LinkedHashMap<>();
        for (String chapter : chapters) {
            Compilation.Implementation impl = compilation.implementation(label, root, chapter, List.of());
            Compilation.Tests compiled = compilation.tests(label, chapter, List.of(impl.classes()));
            implementations.put(chapter, impl);
            tests.put(chapter, compiled);
            impl.ignored().forEach(i -> notes.add("ignored " + i));
            Set<String> graded = compiled.failed().keySet().stream().map(f -> f.replaceFirst("Test\\.java$", "")).collect(
                    java.util.stream.Collectors.toSet());
            try (var files = Files.list(kit.src("src", "test", "java", chapter))) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith("Test.java"))
                        .forEach(f -> graded.add(f.replaceFirst("Test\\.java$", "")));
            }
            impl.problems().forEach((name, why) -> {
                if (!graded.contains(name)) {
                    notes.add(root.getFileName() + "/" + chapter + "/" + name + ".java does not compile, so it was left out: "
                            + why.lines().findFirst().orElse(""));
                }
            });
            List<Planned> chapterPlan = new ArrayList<>(plan(chapter, compiled, impl));
            for (Map.Entry<String, String> broken : compiled.failed().entrySet()) {
                for (Planned test : Plan.parse(chapter, kit.src("src", "test", "java", chapter, broken.getKey()))) {
                    chapterPlan.add(test);
                    failed.put(test.id(), new Outcome(test.id(), Outcome.Status.FAILED,
                            whyNotCompiled(root, chapter, test.exercise(), impl, broken.getValue()), 0));
                }
            }
            chapterPlan.sort(Plan.LESSON_ORDER);
            chapterPlan.stream().filter(t -> exercises.isEmpty() || exercises.contains(t.exercise())).forEach(plan::add);
            classpath.add(compiled.classes());
            classpath.add(impl.classes());
        }
        classpath.add(0, compilation.jcstressIndex(label, tests.values()));
        return new Prepared(plan, failed, classpath, notes, implementations, tests);
    }

    /**
     * The tests found in a chapter's compiled tests; found again only when they were compiled again
     * (watch mode: a save that changes a method body recompiles the exercise, not its tests).
     */
    private List<Planned> plan(String chapter, Compilation.Tests compiled, Compilation.Implementation impl) throws IOException {
        String key = compiled.key();
        Map.Entry<String, List<Planned>> known = plans.get(compiled.classes());
        if (known != null && known.getKey().equals(key)) {
            return known.getValue();
        }
        List<Planned> found = List.copyOf(Plan.discover(chapter, compiled.classes(), List.of(impl.classes())));
        plans.put(compiled.classes(), Map.entry(key, found));
        return found;
    }

    /** The message of a test whose class did not compile, naming the real reason first. */
    private String whyNotCompiled(Path root, String chapter, String exercise, Compilation.Implementation impl, String testErrors) {
        String file = kit.basedir().relativize(root.toAbsolutePath().resolve(chapter).resolve(exercise + ".java")).toString();
        String problem = impl.problems().get(exercise);
        if (problem != null) {
            return "does not compile: " + file + "\n" + problem;
        }
        if (!Files.exists(root.resolve(chapter).resolve(exercise + ".java"))) {
            return "not done: " + file + " is missing";
        }
        if (!impl.problems().isEmpty()) {
            return "the tests need " + String.join(", ", impl.problems().keySet()) + " of " + chapter
                    + ", which does not compile:\n" + impl.problems().values().iterator().next();
        }
        return "the tests do not compile against your code (did a public name or signature change from the exercise's?):\n"
                + testErrors;
    }

    /**
     * What holds answers, hidden from a test JVM that grades {@code label}: the solutions, the
     * mutants, the git history, and what the self-check or other gradings compiled.
     */
    List<Path> answers(String label) throws IOException {
        List<Path> hidden = new ArrayList<>(List.of(kit.src("solutions"), kit.src("src", "test", "mutants"), kit.src(".git"),
                kit.target("kit-check")));
        hidden.addAll(alsoHidden);
        Path build = kit.target("graded");
        if (Files.isDirectory(build)) {
            try (var dirs = Files.list(build)) {
                dirs.filter(d -> !d.getFileName().toString().equals(label)).forEach(hidden::add);
            }
        }
        return hidden;
    }

    /**
     * Starts the test JVM of the next {@link #run} of {@code label} in {@code work} now (watch mode,
     * between saves); the one started before, if unused, is ended.
     */
    void startAhead(String label, Path work) throws IOException {
        endReady();
        ready = Supervisor.Ready.start(kit, sandbox, work, answers(label), jcstressReports);
    }

    /** Ends the test JVM started ahead, if any. */
    void endReady() {
        if (ready != null) {
            ready.close();
            ready = null;
        }
    }

    /** Runs what was prepared and scores it; the console shows each test as it finishes. */
    Graded run(String label, Prepared prepared, Path work, String order, PrintStream console, long started)
            throws IOException, InterruptedException {
        return run(label, prepared, work, order, console, started, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #run(String, Prepared, Path, String, PrintStream, long)}, as if the machine had {@code cpus} CPUs (at most its own). */
    Graded run(String label, Prepared prepared, Path work, String order, PrintStream console, long started, int cpus)
            throws IOException, InterruptedException {
        List<Planned> runnable = prepared.plan().stream()
                .filter(t -> t.gradableOn(cpus) && !prepared.failedToCompile().containsKey(t.id())).toList();
        Map<String, Outcome> outcomes = new LinkedHashMap<>(prepared.failedToCompile());
        List<String> tampering = new ArrayList<>();
        if (console != null) {
            // The compiler's file, line and error under the first test it fails, its first line under the others.
            Set<String> shown = new java.util.HashSet<>();
            prepared.failedToCompile().forEach((id, o) -> prepared.plan().stream().filter(t -> t.id().equals(id)).findFirst()
                    .ifPresent(t -> console.println("  FAIL " + t.title() + "\n" + o.message().lines()
                            .limit(shown.add(o.message()) ? Supervisor.MESSAGE_LINES_SHOWN : 1)
                            .map(l -> "         " + l).collect(java.util.stream.Collectors.joining("\n")))));
        }
        if (!runnable.isEmpty()) {
            Supervisor.Ready jvm = ready;
            ready = null;
            Supervisor.Result result = new Supervisor(kit, sandbox, work, order, console, answers(label))
                    .keepJcstressReports(jcstressReports).startedAhead(jvm)
                    .run(List.of(new Supervisor.Run(0, label, prepared.classpath(), runnable, false)));
            outcomes.putAll(result.of(0));
            tampering.addAll(result.tampering());
        }
        Scoreboard board = new Scoreboard(prepared.plan(), outcomes, cpus, tampering, prepared.notes(),
                (System.nanoTime() - started) / 1e9);
        return new Graded(board, prepared.plan(), outcomes, prepared.classpath());
    }
}
