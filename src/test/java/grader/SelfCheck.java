package grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kit.Broker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw verify -Pkit-check}: the kit's test of itself. It compiles the solutions and the
 * stubs with the chapters' tests, then grades, in one sequence of test JVMs: the solutions (every
 * graded test must pass), the stubs (every graded test must fail; demonstrations are listed
 * instead) and every mutant, a wrong solution kept as a patch ({@link Mutant}): a graded test of
 * its exercise must fail, with a message that names the mistake. It also checks the facts the
 * docs repeat ({@link Facts}) and that the grader's reading of each test class from its source
 * agrees with JUnit's. It prints one table and exits non-zero on any gap.
 */
@Command(name = "kit-check", mixinStandardHelpOptions = true)
public final class SelfCheck implements Callable<Integer> {

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--release", required = true)
    int release;


    @Option(names = "--chapter", defaultValue = "")
    String chapter;

    @Option(names = "--property", description = "a system property for the test JVM, key=value (empty values are left out)")
    Map<String, String> properties = new java.util.HashMap<>();

    @Option(names = "--sandbox", defaultValue = "auto")
    String sandbox;

    private final PrintStream out = System.out;
    private final List<String> gaps = new ArrayList<>();
    private final List<String> notCheckedHere = new ArrayList<>();
    /** Mutants that no test killed because the timing check that catches them found the machine too busy. */
    private int notJudged;
    private int checksPassed;
    private static final String CH12 = "ch12_distributed";
    private static final String AMQP_URI = Broker.URI_PROPERTY;
    /** Mutant runs given to one test JVM at most, and at the end, when few are left: so that the streams finish together. */
    static final int MUTANTS_PER_JVM = 12;
    static final int MUTANTS_PER_JVM_AT_END = 2;
    /** Test JVMs that grade the stubs and mutants side by side. */
    private static final int STREAMS = 3;
    /** Where the time went, phase by phase, in seconds. */
    private final Map<String, Double> phases = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    public static void main(String[] args) {
        Preload.grader();
        System.exit(new CommandLine(new SelfCheck()).execute(args));
    }

    /**
     * A mutant's fate: the graded test that killed it, and what that test said; or, for a mutant no
     * test killed, the timing check that could not judge it on a machine too busy ({@code busy}).
     */
    record Verdict(Mutant mutant, String killer, String killerId, String message, String busy) {

        boolean killed() {
            return killer != null;
        }

        /** Whether the killing message names the mutant's mistake (its {@code Names:} phrase). */
        boolean named() {
            return killed() && mutant.names() != null && message != null
                    && message.toLowerCase(Locale.ROOT).contains(mutant.names().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        List<String> chapters;
        try {
            chapters = Chapters.select(basedir, chapter);
        } catch (IllegalArgumentException unknown) {
            out.println(unknown.getMessage());
            return 2;
        }
        Kit kit = Kit.fromClasspath(basedir, release, properties);
        Sandbox box = Sandbox.choose(sandbox, kit.basedir());
        Grading grading = new Grading(kit, box);
        Path work = kit.target("kit-check");
        Compilation.clean(work);
        out.println("kit-check: compiling the solutions, the stubs and the chapters' tests (" + box.describe() + ") ...");
        // The two compile side by side (a compiler each): they share nothing but what they read.
        java.util.concurrent.CompletableFuture<Grading.Prepared> stubsLater = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return grading.prepare("stubs", basedir.resolve("exercises"), chapters, Set.of());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Grading.Prepared solutions = grading.prepare("solutions", basedir.resolve("solutions"), chapters, Set.of());
        Grading.Prepared stubs = stubsLater.join();
        solutions.failedToCompile().values().stream().map(Outcome::message).distinct()
                .forEach(why -> check(false, "the solutions or their tests do not compile: " + why));
        stubs.failedToCompile().values().stream().map(Outcome::message).distinct()
                .forEach(why -> check(false, "the stubs do not compile against the tests: " + why));
        solutions.notes().forEach(n -> check(false, "solutions: " + n));
        stubs.notes().forEach(n -> check(false, "exercises: " + n));
        checkPlanReading(chapters, solutions.plan());

        int cpus = Runtime.getRuntime().availableProcessors();
        List<Supervisor.Run> runs = new ArrayList<>();
        // The solutions chapter by chapter (runs 0 .. n-1), so that two streams share them; then the stubs.
        for (String c : chapters) {
            runs.add(new Supervisor.Run(runs.size(), "solutions", solutions.classpath(),
                    gradable(solutions.plan(), cpus).stream().filter(t -> t.chapter().equals(c)).toList(), false));
        }
        int stubsRun = runs.size();
        runs.add(new Supervisor.Run(stubsRun, "stubs", stubs.classpath(), gradable(stubs.plan(), cpus), false));
        List<Mutant> mutants = Mutant.of(basedir, chapters);
        Map<Integer, Mutant> mutantRuns = new LinkedHashMap<>();
        Map<Mutant, java.util.concurrent.Future<Compilation.Implementation>> compiling = compileMutants(grading, solutions,
                work, mutants);
        for (Mutant mutant : mutants) {
            if (mutant.problem() != null) {
                check(false, "mutant " + mutant.chapter() + "/" + mutant.name() + ": " + mutant.problem());
                continue;
            }
            Compilation.Implementation solution = solutions.implementations().get(mutant.chapter());
            Compilation.Implementation compiled = compiling.get(mutant).get();
            if (!compiled.problems().isEmpty()) {
                check(false, "mutant " + mutant.chapter() + "/" + mutant.name() + " does not compile: "
                        + compiled.problems().values().iterator().next());
                continue;
            }
            List<Planned> tests = new ArrayList<>(solutions.plan().stream().filter(t -> t.graded() && t.gradableOn(cpus)
                    && t.chapter().equals(mutant.chapter()) && mutant.exercises().contains(t.exercise())).toList());
            // Its declared killer first: the others run only if that one lets it through (Child).
            List<Planned> declared = tests.stream().filter(t -> mutant.killedBy(t.id())).toList();
            if (declared.isEmpty() && solutions.plan().stream().noneMatch(t -> mutant.killedBy(t.id()))) {
                check(false, "mutant " + mutant.chapter() + "/" + mutant.name() + ": 'Killed by: " + mutant.killer()
                        + "' names no graded test of " + String.join(", ", mutant.exercises()));
            }
            tests.removeAll(declared);
            tests.addAll(0, declared);
            int index = runs.size();
            runs.add(new Supervisor.Run(index, "mutant " + mutant.chapter() + "/" + mutant.name(),
                    List.of(solutions.tests().get(mutant.chapter()).classes(), compiled.classes(), solution.classes()),
                    tests, true));
            mutantRuns.put(index, mutant);
        }
        // ch12 against a real RabbitMQ as well, where one can run here: its node boots while the rest is graded.
        String realBrokerSkipped = null;
        RabbitMq rabbit = null;
        if (chapters.contains(CH12) && kit.properties().get(AMQP_URI) == null) {
            realBrokerSkipped = RabbitMq.unavailable(basedir).orElse(null);
            if (realBrokerSkipped == null) {
                rabbit = RabbitMq.start(basedir);
            }
        }
        Map<Integer, Approach> approachRuns = approachRuns(grading, solutions, work, runs, cpus, chapters);
        boolean together = box.sideBySide() && cpus >= 2;
        out.println("kit-check: grading the solutions, the stubs, " + mutantRuns.size() + " mutants and "
                + approachRuns.size() + " approaches"
                + (together ? ", 2 test JVMs side by side, then 3 ..." : ", one test JVM at a time ..."));
        phases.put("compiling", (System.nanoTime() - start) / 1e9);
        long gradingStarted = System.nanoTime();
        // The hostile submissions and the packaging, told after the table: they grade beside the mutants.
        java.io.ByteArrayOutputStream besideText = new java.io.ByteArrayOutputStream();
        Supervisor.Result result = runAll(kit, box, work, runs, stubsRun, together, () -> {
            PrintStream told = new PrintStream(besideText, true, java.nio.charset.StandardCharsets.UTF_8);
            long began = System.nanoTime();
            hostile(kit, box, grading, chapters, told); // grading compiles nothing else by now
            phases.put("hostile submissions", (System.nanoTime() - began) / 1e9);
            if (chapter.isBlank() || chapter.equals(PackagingCheck.CHAPTER)) { // the chapter it grades throughout
                began = System.nanoTime();
                List<String> found = new ArrayList<>();
                int passed = new PackagingCheck(kit, told).check(found); // what students and grading platforms get
                synchronized (this) {
                    checksPassed += passed;
                    gaps.addAll(found);
                }
                phases.put("packaging", (System.nanoTime() - began) / 1e9);
                began = System.nanoTime();
                images(kit, told);
                phases.put("platform images", (System.nanoTime() - began) / 1e9);
            }
            return null;
        });
        phases.put("grading (the hostile submissions and the packaging beside)", (System.nanoTime() - gradingStarted) / 1e9);
        result.tampering().forEach(t -> check(false, "the kit's own run looked tampered with: " + t));

        Map<String, Outcome> solvedOutcomes = new LinkedHashMap<>();
        for (int i = 0; i < stubsRun; i++) {
            solvedOutcomes.putAll(result.of(i));
        }
        Scoreboard solved = new Scoreboard(solutions.plan(), solvedOutcomes, cpus, List.of(), List.of(), 0);
        Scoreboard stubbed = new Scoreboard(stubs.plan(), result.of(stubsRun), cpus, List.of(), List.of(), 0);
        List<Verdict> verdicts = new ArrayList<>();
        mutantRuns.forEach((index, mutant) -> verdicts.add(verdict(mutant, runs.get(index).tests(), result.of(index))));
        report(chapters, solved, stubbed, verdicts);
        if (rabbit != null) {
            long began = System.nanoTime();
            try (RabbitMq node = rabbit) {
                againstRabbitMq(kit, box, work, node, solutions.classpath(), gradable(solutions.plan(), cpus));
            }
            phases.put("ch12 against RabbitMQ", (System.nanoTime() - began) / 1e9);
        } else if (realBrokerSkipped != null) {
            out.println();
            out.println(CH12 + " against a real RabbitMQ: not checked here: " + realBrokerSkipped + ".");
        }
        approaches(kit, box, work, approachRuns, runs, result);
        times(result, stubsRun, mutantRuns);
        new PageCheck(kit, out, this::check, notCheckedHere::add).check(work, solutions.plan(), stubs.plan(), cpus, stubsRun,
                runs, result, verdicts.stream().filter(v -> v.message() != null && v.message().contains("deadlock between"))
                        .findFirst().map(v -> mutantRuns.entrySet().stream().filter(e -> e.getValue() == v.mutant())
                                .findFirst().orElseThrow().getKey()).orElse(-1));
        out.print(besideText.toString(java.nio.charset.StandardCharsets.UTF_8));

        Facts facts = new Facts(basedir, chapters, solutions.plan());
        List<String> factGaps = facts.check();
        out.println();
        out.println("Facts repeated for readers (GRADING.md, README.md, lessons, stubs): "
                + (factGaps.isEmpty() ? "all agree with the code (" + facts.checked() + " checked)" : factGaps.size() + " disagree"));
        factGaps.forEach(g -> {
            out.println("  " + g);
            check(false, g);
        });
        checksPassed += facts.checked() - factGaps.size();

        out.printf("%nkit-check took %.1f min (%s; machine load %s at the end).%n", (System.nanoTime() - start) / 60e9,
                phases.entrySet().stream().map(e -> String.format("%s %.0f s", e.getKey(), e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", ")), load());
        if (!gaps.isEmpty()) {
            out.println("Gaps:");
            gaps.forEach(gap -> out.println("  - " + gap));
        }
        out.println("kit-check: " + checksPassed + " passed, " + gaps.size() + " failed");
        if (!gaps.isEmpty()) {
            out.println("The self-check found " + gaps.size() + " gaps: the list above names each.");
        }
        return gaps.isEmpty() ? 0 : 1;
    }

    /**
     * The runs after the stubs' ({@code stubsRun}) up to {@code end}, cut into one test JVM's jobs
     * (first and end-exclusive run): many to a JVM while many are left, so that fewer JVMs start,
     * and few at the end, so that the streams end together.
     */
    static List<int[]> mutantJobs(int stubsRun, int end) {
        List<int[]> jobs = new ArrayList<>();
        for (int i = stubsRun + 1, size; i < end; i += size) {
            size = Math.clamp((end - i) / (3L * STREAMS), MUTANTS_PER_JVM_AT_END, MUTANTS_PER_JVM);
            jobs.add(new int[] {i, Math.min(end, i + size)});
        }
        return jobs;
    }

    /**
     * Each mutant's sources written and compiled against its solution, a compiler per CPU: they
     * share nothing but what they read.
     */
    private static Map<Mutant, java.util.concurrent.Future<Compilation.Implementation>> compileMutants(Grading grading,
            Grading.Prepared solutions, Path work, List<Mutant> mutants) {
        Map<Mutant, java.util.concurrent.Future<Compilation.Implementation>> compiled = new java.util.IdentityHashMap<>();
        ExecutorService compilers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            for (Mutant mutant : mutants) {
                if (mutant.problem() == null) {
                    compiled.put(mutant, compilers.submit(() -> {
                        Path src = work.resolve("mutants").resolve(mutant.chapter()).resolve(mutant.name());
                        for (Map.Entry<String, String> source : mutant.sources().entrySet()) {
                            Path file = src.resolve(mutant.chapter()).resolve(source.getKey() + ".java");
                            Files.createDirectories(file.getParent());
                            Files.writeString(file, source.getValue());
                        }
                        return grading.compilation().implementation("mutants/" + mutant.chapter() + "/" + mutant.name(), src,
                                mutant.chapter(), List.of(solutions.implementations().get(mutant.chapter()).classes()));
                    }));
                }
            }
        } finally {
            compilers.shutdown(); // what was submitted still runs; the futures say when each is done
        }
        return compiled;
    }

    /**
     * Grades ch12's solutions against a real RabbitMQ node, alone (its timing tests allow for one
     * test JVM beside them, not three): every graded test must pass there too.
     */
    private void againstRabbitMq(Kit kit, Sandbox box, Path work, RabbitMq node, List<Path> classpath, List<Planned> plan)
            throws Exception {
        out.println();
        String uri;
        try {
            uri = node.uri();
        } catch (Exception e) {
            check(false, CH12 + " against RabbitMQ: the node did not start: " + e.getMessage());
            return;
        }
        Map<String, String> properties = new java.util.TreeMap<>(kit.properties());
        properties.put(AMQP_URI, uri);
        Kit real = new Kit(kit.basedir(), kit.release(), kit.mainClasses(), kit.kitClasses(), kit.libraries(),
                Map.copyOf(properties));
        List<Planned> tests = plan.stream().filter(t -> t.chapter().equals(CH12)).toList();
        int index = Integer.MAX_VALUE;
        Supervisor.Result result = new Supervisor(real, box, work.resolve("runs").resolve("rabbitmq"), "lesson", null,
                List.of()).run(List.of(new Supervisor.Run(index, "solutions against RabbitMQ", classpath, tests, false)));
        List<Outcome> failed = tests.stream().map(t -> result.of(index).get(t.id()))
                .filter(o -> o == null || o.status() == Outcome.Status.FAILED).toList();
        double seconds = result.of(index).values().stream().mapToDouble(Outcome::seconds).sum();
        out.printf("%s against a real RabbitMQ (%s): the solutions pass %d of %d graded tests (%.0f s of test time; %s)%n",
                CH12, uri, tests.size() - failed.size(), tests.size(), seconds, node.output());
        for (Planned t : tests) {
            Outcome o = result.of(index).get(t.id());
            check(o != null && o.status() != Outcome.Status.FAILED, "solution fails against RabbitMQ: " + t.title()
                    + (o == null ? ": no outcome" : ": " + o.hint()));
        }
    }

    /** Grades each kept hostile submission as ./mvnw test would, and checks it got only its honest score. */
    private void hostile(Kit kit, Sandbox box, Grading grading, List<String> chapters, PrintStream out)
            throws IOException, InterruptedException {
        List<Hostile> cases = Hostile.of(basedir, chapters);
        if (cases.isEmpty()) {
            return;
        }
        out.println();
        out.println("Hostile submissions (graded as ./mvnw test grades; each must get its honest score):");
        for (Hostile h : cases) {
            for (int round = 1; round <= (h.again() ? 2 : 1); round++) {
                hostile(kit, box, grading, h, round, out);
            }
        }
    }

    /** Grades one kept hostile submission ({@code round} 2: again in the same folder) and checks its score. */
    private void hostile(Kit kit, Sandbox box, Grading grading, Hostile h, int round, PrintStream out)
            throws IOException, InterruptedException {
        String label = "hostile-" + h.name();
        Path home = kit.target("hostile", h.name());
        Path root = h.submission(basedir, home.resolve("exercises"));
        Path reports = home.resolve("grading");
        Compilation.clean(reports);
        Path forgedClass = kit.kitClasses().resolve("grader").resolve("HOSTILE-WAS-HERE");
        Files.deleteIfExists(forgedClass);
        Grading.Prepared prepared = grading.prepare(label, root, List.of(h.chapter()), h.exercises());
        int cpus = h.cpus() > 0 ? h.cpus() : Runtime.getRuntime().availableProcessors();
        // Where the sandbox gives the test JVM no temporary folders and network of its own, it can reach them.
        boolean apart = box.hides();
        for (Path left : h.leaves()) {
            Files.deleteIfExists(left);
        }
        if (apart && h.copy() != null) { // another checkout's answers, readable by anyone, outside the graded kit
            Compilation.clean(h.copy());
            Edition.copyTree(basedir.resolve("solutions"), h.copy().resolve("solutions"), p -> false);
        }
        List<String> wrong = new ArrayList<>();
        Grading.Graded graded;
        try (Loopback service = apart && h.listen() > 0 ? new Loopback(h.listen()) : null) {
            graded = grading.run(label, prepared, reports, "lesson", null, System.nanoTime(), cpus);
            if (service != null && service.reached() > 0) {
                wrong.add("it reached a service on the machine's loopback network (" + service.reached() + " connections)");
            }
        }
        Reports.write(graded.board(), reports, box.describe());
        String report = Files.readString(reports.resolve("results.json"));
        if (h.watch() > 0) {
            Thread.sleep(h.watch() * 1000L); // long enough for anything left behind to act
        }
        if (apart && h.copy() != null) {
            Compilation.remove(h.copy());
        }
        for (Path left : apart ? h.leaves() : List.<Path>of()) {
            if (Files.exists(left, LinkOption.NOFOLLOW_LINKS)) {
                wrong.add("it left " + left + " on the machine");
                Files.delete(left);
            }
        }
        Scoreboard board = graded.board();
        if (board.earned() != h.score()) {
            wrong.add("scored " + Scoreboard.points(board.earned()) + ", honest score " + Scoreboard.points(h.score()));
        }
        if (h.tampered() != !board.tampering().isEmpty()) {
            wrong.add(h.tampered() ? "the tampering went unnoticed" : "reported as tampered: " + board.tampering());
        }
        long ignored = board.notes().stream().filter(n -> n.startsWith("ignored")).count();
        if (h.ignored() >= 0 && ignored != h.ignored()) {
            wrong.add(ignored + " files reported as ignored, expected " + h.ignored());
        }
        if (h.names() != null && !report.contains(h.names())) {
            wrong.add("results.json does not say \"" + h.names() + "\"");
        }
        if (h.absent() != null) {
            wrong.addAll(containing(reports, h.absent()));
        }
        wrong.addAll(platformTerms(board, reports, h.score()));
        if (!Files.readString(reports.resolve("results.json")).equals(report)) {
            wrong.add("results.json changed after the grading ended");
        }
        if (Files.exists(reports.resolve("FORGED-AFTER-GRADING"))) {
            wrong.add("a process it started outlived the grading and wrote into the reports' folder");
        }
        if (Files.exists(forgedClass)) {
            Files.delete(forgedClass);
            wrong.add("it wrote into the grader's own classes");
        }
        out.printf("  %-8s %-24s %s of %d (honest %s)%s: %s%n", wrong.isEmpty() ? "held" : "BROKE",
                h.name() + (round > 1 ? " (again)" : ""),
                Scoreboard.points(board.earned()), board.possible(), Scoreboard.points(h.score()),
                board.tampering().isEmpty() ? "" : ", tampering detected", h.what());
        wrong.forEach(w -> out.println("           " + w));
        check(wrong.isEmpty(), "hostile submission " + h.name() + ": " + String.join("; ", wrong));
    }

    /**
     * The platform images: scripts/image-check runs the graders' setup.sh in minimal Debian 12 and 13
     * chroots with no JDK and grades a chapter's solutions there, which must get full points. Only as
     * root on Debian; where the chroots cannot be made (no Debian mirror), not checked here.
     */
    private void images(Kit kit, PrintStream out) throws IOException, InterruptedException {
        if (!Files.isRegularFile(Path.of("/etc/debian_version")) || !"root".equals(System.getProperty("user.name"))) {
            notCheckedHere.add("the platform images (scripts/image-check): it needs root on Debian");
            return;
        }
        Path log = kit.target("image-check.log");
        Process check = new ProcessBuilder("bash", basedir.resolve("scripts/image-check").toString()).directory(basedir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = check.waitFor(20, TimeUnit.MINUTES);
        if (!ended) {
            check.descendants().forEach(ProcessHandle::destroyForcibly);
            check.destroyForcibly();
        }
        String text = Files.readString(log);
        List<String> told = text.lines().filter(l -> l.startsWith("image-check:")).toList();
        out.println();
        out.println("Platform images (scripts/image-check, log " + basedir.relativize(log) + "):");
        told.forEach(l -> out.println("  " + l));
        if (ended && check.exitValue() != 0 && (text.contains("image-check: debootstrap") || !text.contains("setup.sh"))) {
            notCheckedHere.add("the platform images (scripts/image-check): the chroots could not be made here, see " + log);
            return;
        }
        check(ended && check.exitValue() == 0, "scripts/image-check " + (ended ? "failed" : "did not finish in 20 min") + ": "
                + String.join("; ", told) + " (log: " + log + ")");
    }

    /** A service on the machine's loopback network, counting who connects (the case's stand-in for another grading's broker). */
    private static final class Loopback implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger reached = new AtomicInteger();

        Loopback(int port) throws IOException {
            socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        socket.accept().close();
                        reached.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int reached() {
            return reached.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The files the grading kept in {@code reports} (not the test JVM's scratch folders) that contain {@code phrase}. */
    private static List<String> containing(Path reports, String phrase) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(reports)) {
            for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Path relative = reports.relativize(p);
                boolean scratch = java.util.stream.IntStream.range(0, relative.getNameCount())
                        .anyMatch(i -> relative.getName(i).toString().startsWith("scratch"));
                if (!scratch && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(phrase)) {
                    found.add("the grader copied a reference solution's text into " + relative);
                }
            }
        }
        return found;
    }

    /**
     * What a platform's user would misread in a hostile case's reports: a test not graded on this
     * machine that Gradescope shows as passed (a status, or 0 of 0), and PrairieLearn's score other
     * than the honest share of the points, unrounded.
     */
    private static List<String> platformTerms(Scoreboard board, Path reports, double honest) throws IOException {
        List<String> wrong = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        JsonNode gradescope = json.readTree(reports.resolve("results.json").toFile());
        long notGraded = 0;
        for (JsonNode test : gradescope.path("tests")) {
            wrong.addAll(PackagingCheck.gradescopeStatus(test));
            notGraded += test.has("status") ? 0 : 1;
        }
        long expected = board.notGradedRows().size() + board.demonstrations().stream().filter(Scoreboard.Row::notGradable).count();
        if (notGraded != expected) {
            wrong.add("results.json has " + notGraded + " tests without a status, this machine did not grade " + expected);
        }
        double share = board.possible() == 0 ? 0 : honest / board.possible();
        double score = json.readTree(reports.resolve("prairielearn.json").toFile()).path("score").asDouble(-1);
        if (score != share) {
            wrong.add("prairielearn.json's score is " + score + ", the honest share " + share);
        }
        return wrong;
    }

    /**
     * Grades the runs, each test JVM taking the next job when its last is done: first the solutions
     * chapter by chapter (runs before {@code stubsRun}) in two streams, so that each has one test
     * JVM beside it, as the timing tests allow for; then the stubs and the mutants a few at a time,
     * in three streams once the solutions are done (a mutant mostly waits out a bound), with
     * {@code beside} running as well (the hostile submissions and the packaging: they grade the
     * solutions' ch01 and a few hostile cases, whose bounds allow for a busy machine). One stream,
     * and {@code beside} after it, where the sandbox cannot keep test JVMs apart.
     */
    private static Supervisor.Result runAll(Kit kit, Sandbox box, Path work, List<Supervisor.Run> runs, int stubsRun,
            boolean together, Callable<Void> beside) throws Exception {
        java.util.concurrent.BlockingDeque<List<Supervisor.Run>> jobs = new java.util.concurrent.LinkedBlockingDeque<>();
        for (int i = 0; i <= stubsRun; i++) {
            jobs.add(List.of(runs.get(i)));
        }
        for (int[] job : mutantJobs(stubsRun, runs.size())) {
            jobs.add(runs.subList(job[0], job[1]));
        }
        Map<Integer, Map<String, Outcome>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> tampering = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch solutionsDone = new java.util.concurrent.CountDownLatch(stubsRun);
        Callable<Void> stream = () -> {
            for (List<Supervisor.Run> job; (job = jobs.poll()) != null; ) {
                Path dir = work.resolve("runs").resolve(String.valueOf(job.get(0).index()));
                try {
                    Supervisor.Result r = new Supervisor(kit, box, dir, "lesson", null, List.of()).run(job);
                    outcomes.putAll(r.outcomes());
                    tampering.addAll(r.tampering());
                } finally {
                    if (job.get(0).index() < stubsRun) {
                        solutionsDone.countDown();
                    }
                }
            }
            return null;
        };
        if (!together) {
            stream.call();
            beside.call();
            return new Supervisor.Result(new java.util.TreeMap<>(outcomes), tampering);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> done = new ArrayList<>();
            done.add(pool.submit(stream));
            done.add(pool.submit(stream));
            done.add(pool.submit(() -> {
                solutionsDone.await();
                return stream.call();
            }));
            done.add(pool.submit(() -> {
                solutionsDone.await();
                return beside.call();
            }));
            for (Future<Void> f : done) {
                f.get();
            }
            return new Supervisor.Result(new java.util.TreeMap<>(outcomes), tampering);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each approach ({@link Approach}) compiled in place of its exercise's solution, as a run of the
     * exercise's graded tests that stops at its first failure: every one must pass.
     */
    private Map<Integer, Approach> approachRuns(Grading grading, Grading.Prepared solutions, Path work, List<Supervisor.Run> runs,
            int cpus, List<String> chapters) throws IOException {
        Map<Integer, Approach> approachRuns = new LinkedHashMap<>();
        for (Approach a : Approach.all(basedir, chapters)) {
            String label = "approaches/" + a.chapter() + "/" + a.exercise() + "-" + a.name();
            Path src = work.resolve(label);
            Path file = src.resolve(a.chapter()).resolve(a.exercise() + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, a.code());
            Compilation.Implementation solution = solutions.implementations().get(a.chapter());
            Compilation.Implementation compiled = grading.compilation().implementation(label, src, a.chapter(),
                    List.of(solution.classes()));
            List<Planned> tests = solutions.plan().stream().filter(t -> t.graded() && t.gradableOn(cpus)
                    && t.chapter().equals(a.chapter()) && t.exercise().equals(a.exercise())).toList();
            if (!compiled.problems().isEmpty() || tests.isEmpty()) {
                check(false, "approach " + label + (tests.isEmpty() ? " is for no graded exercise"
                        : " does not compile: " + compiled.problems().values().iterator().next()));
                continue;
            }
            int index = runs.size();
            runs.add(new Supervisor.Run(index, "approach " + label, List.of(solutions.tests().get(a.chapter()).classes(),
                    compiled.classes(), solution.classes()), tests, true));
            approachRuns.put(index, a);
        }
        return approachRuns;
    }

    /**
     * Every approach graded as a solution must pass every graded test of its exercise. One that a
     * timing check could not judge (the machine too busy beside the mutants and the packaging) is
     * graded again alone; if the machine is still too busy, it is listed as not checkable, as a
     * solution would be, not counted.
     */
    private void approaches(Kit kit, Sandbox box, Path work, Map<Integer, Approach> approachRuns, List<Supervisor.Run> runs,
            Supervisor.Result result) throws IOException, InterruptedException {
        if (approachRuns.isEmpty()) {
            return;
        }
        Map<Integer, Map<String, Outcome>> outcomes = new java.util.TreeMap<>();
        approachRuns.keySet().forEach(i -> outcomes.put(i, result.of(i)));
        List<Supervisor.Run> again = approachRuns.keySet().stream().filter(i -> firstNotPassed(runs.get(i), outcomes.get(i))
                .map(o -> o.status() == Outcome.Status.NOT_GRADABLE).orElse(false)).map(runs::get).toList();
        if (!again.isEmpty()) {
            outcomes.putAll(new Supervisor(kit, box, work.resolve("runs").resolve("approaches-again"), "lesson", null,
                    List.of()).run(again).outcomes());
        }
        out.println();
        int valid = 0;
        int busy = 0;
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Integer, Approach> e : approachRuns.entrySet()) {
            Approach a = e.getValue();
            Map<String, Outcome> mine = outcomes.get(e.getKey());
            Planned failed = runs.get(e.getKey()).tests().stream().filter(t -> mine.get(t.id()) == null
                    || mine.get(t.id()).status() != Outcome.Status.PASSED).findFirst().orElse(null);
            Outcome o = failed == null ? null : mine.get(failed.id());
            String label = a.chapter() + "/" + a.exercise() + " \"" + a.title() + "\"";
            if (failed == null) {
                valid++;
            } else if (o != null && o.status() == Outcome.Status.NOT_GRADABLE) {
                busy++;
                lines.add("  not run  " + label + ": " + failed.name() + ": " + o.hint() + " (graded twice)");
                continue;
            } else {
                lines.add("  FAILS    " + label + ": " + failed.name() + ": " + (o == null ? "did not run" : o.hint()));
            }
            check(failed == null, "approach " + label + " fails "
                    + (failed == null ? "" : failed.name()) + ": an approach a test fails is a gap (in it, or in the test)");
        }
        out.println("Approaches (exercises/<chapter>/approaches/, each graded as its exercise's solution): " + valid + " of "
                + approachRuns.size() + " valid" + (busy > 0 ? ", " + busy + " not judged (the machine too busy, twice)" : "")
                + ", in " + approachRuns.values().stream().map(a -> a.chapter() + "/" + a.exercise())
                .distinct().count() + " exercises" + (again.isEmpty() ? "" : "; " + again.size() + " graded again alone"));
        lines.forEach(out::println);
    }

    /** The outcome of the first test of {@code run} that did not pass, if any (a missing outcome is empty). */
    private static java.util.Optional<Outcome> firstNotPassed(Supervisor.Run run, Map<String, Outcome> outcomes) {
        return run.tests().stream().map(t -> outcomes.get(t.id())).filter(o -> o != null && o.status() != Outcome.Status.PASSED)
                .findFirst();
    }

    /** Where the test time went: the solutions, the stubs, the mutants and the slowest of them. */
    private void times(Supervisor.Result result, int stubsRun, Map<Integer, Mutant> mutantRuns) {
        java.util.function.IntToDoubleFunction seconds = run -> result.of(run).values().stream()
                .mapToDouble(Outcome::seconds).sum();
        double mutants = mutantRuns.keySet().stream().mapToDouble(seconds::applyAsDouble).sum();
        double solutions = java.util.stream.IntStream.range(0, stubsRun).mapToDouble(seconds).sum();
        out.printf("%nTest time: solutions %.0f s, stubs %.0f s, %d mutants %.0f s; the slowest mutants:", solutions,
                seconds.applyAsDouble(stubsRun), mutantRuns.size(), mutants);
        mutantRuns.entrySet().stream()
                .sorted(java.util.Comparator.comparingDouble(e -> -seconds.applyAsDouble(e.getKey()))).limit(8)
                .forEach(e -> out.printf(" %s/%s %.1f s;", e.getValue().chapter(), e.getValue().name(), seconds.applyAsDouble(e.getKey())));
        out.println();
    }

    private static List<Planned> gradable(List<Planned> plan, int cpus) {
        return plan.stream().filter(t -> t.gradableOn(cpus)).toList();
    }

    /** The grader reads a test class from its source when it does not compile: it must read what JUnit finds. */
    private void checkPlanReading(List<String> chapters, List<Planned> discovered) throws IOException {
        for (String c : chapters) {
            try (Stream<Path> files = Files.list(basedir.resolve("src/test/java").resolve(c))) {
                for (Path source : files.filter(p -> p.toString().endsWith("Test.java")).sorted().toList()) {
                    List<Planned> parsed = Plan.parse(c, source);
                    String exercise = Plan.exerciseOf(source.getFileName().toString().replaceFirst("\\.java$", ""));
                    List<Planned> found = discovered.stream().filter(t -> t.chapter().equals(c) && t.exercise().equals(exercise)).toList();
                    check(parsed.equals(found), "the grader's reading of " + source.getFileName()
                            + " from its source differs from JUnit's: " + difference(parsed, found));
                }
            }
        }
    }

    private static String difference(List<Planned> parsed, List<Planned> found) {
        for (int i = 0; i < Math.max(parsed.size(), found.size()); i++) {
            Planned a = i < parsed.size() ? parsed.get(i) : null;
            Planned b = i < found.size() ? found.get(i) : null;
            if (a == null || !a.equals(b)) {
                return "read " + a + ", JUnit " + b;
            }
        }
        return "none";
    }

    private static Verdict verdict(Mutant mutant, List<Planned> tests, Map<String, Outcome> outcomes) {
        String busy = null;
        for (Planned test : tests) {
            Outcome outcome = outcomes.get(test.id());
            if (outcome != null && outcome.status() == Outcome.Status.FAILED) {
                return new Verdict(mutant, test.name(), test.id(), outcome.message(), null);
            }
            if (busy == null && outcome != null && outcome.status() == Outcome.Status.NOT_GRADABLE) {
                busy = test.name() + ": " + outcome.hint();
            }
        }
        return new Verdict(mutant, null, null, null, busy);
    }

    private void report(List<String> chapters, Scoreboard solved, Scoreboard stubbed, List<Verdict> verdicts) {
        out.println();
        out.printf("%-16s %-24s %14s %12s %16s %14s%n", "chapter", "exercise", "solution ok", "stub fails", "mutants killed",
                "named mistake");
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
            long named = mine.stream().filter(Verdict::named).count();
            out.printf("%-16s %-24s %14s %12s %16s %14s%n", exercise.chapter(), exercise.exercise(),
                    solutionOk + "/" + solutionRows.size(), stubFails + "/" + stubRows.size(), killed + "/" + mine.size(),
                    named + "/" + mine.size());
            for (Scoreboard.Row row : solutionRows) {
                check(!row.failed(), "solution fails: " + row.test().title() + ": " + row.outcome().hint());
                if (row.notGradable()) {
                    notCheckedHere.add(row.test().title() + ": " + row.outcome().hint());
                }
            }
            for (Scoreboard.Row row : stubRows) {
                if (!row.notGradable()) {
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
            if (demo.notGradable()) {
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
            if (!v.killed() && v.busy() != null) {
                // The machine could not show what the test that catches it needs: not judged, listed, not counted.
                out.printf("  %-8s %s/%s: %s%n           %s%n", "not run", m.chapter(), m.name(), m.mistake(), v.busy());
                notJudged++;
                continue;
            }
            out.printf("  %-8s %s/%s: %s%n", v.killed() ? "killed" : "SURVIVED", m.chapter(), m.name(), m.mistake());
            if (v.killed()) {
                out.println("           by \"" + v.killer() + "\": " + new Outcome(null, null, v.message(), 0).hint());
                out.println("           its message " + (v.named() ? "names" : "DOES NOT NAME") + " the mistake (\""
                        + m.names() + "\")");
                if (!m.killedBy(v.killerId())) {
                    out.println("           (its declared killer, " + m.killer() + ", let it through)");
                }
                check(v.named(), "the message that kills mutant " + m.chapter() + "/" + m.name()
                        + " does not name its mistake (\"" + m.names() + "\"): make the message say it, or the phrase match it");
            }
            check(v.killed(), "mutant survived: " + m.chapter() + "/" + m.name() + " (" + m.mistake() + ")");
        }
        if (notJudged > 0) {
            out.println("  (" + notJudged + " mutants not run: the timing check that catches them found the machine too busy;"
                    + " listed, not counted)");
        }
        for (String c : chapters) {
            check(solved.exercises().stream().anyMatch(e -> e.chapter().equals(c)), "chapter " + c + " has no graded test");
        }
    }

    /** The machine's load average over the last minute, as the note on the time should say. */
    private static String load() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format("%.1f", load);
    }

    private synchronized void check(boolean ok, String gap) {
        if (ok) {
            checksPassed++;
        } else {
            gaps.add(gap);
        }
    }
}
