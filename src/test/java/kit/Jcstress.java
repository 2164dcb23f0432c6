package kit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.TestGrading;

/**
 * Runs jcstress tests from a JUnit test and reads what they saw.
 *
 * <p>All stress tests of one chapter (a package) run together, once per run, in a child JVM
 * whose working directory is {@code target/jcstress/<chapter>} (jcstress writes its result file
 * into the working directory, its HTML report under {@code report/}). The outcome counts are read
 * back from that result file: jcstress's exit code says nothing about FORBIDDEN outcomes, about
 * tests that matched nothing, or about tests that could not be scheduled.
 *
 * <p>Settings tuned for a 2-CPU machine: one fork, one iteration of 200 ms (longer when the
 * machine is busy), no split compilation, one JVM configuration (CALIBRATION.md, jcstress).
 *
 * <p>A stress test with an ACCEPTABLE_INTERESTING outcome is a control: it shows a race that
 * must be seen. If a control of the batch saw nothing, the machine was too busy to line the
 * actors up, so "nothing forbidden" in the other tests proves nothing either: the batch runs
 * again, longer.
 */
public final class Jcstress {

    /**
     * Where the reader of the results finds jcstress's HTML reports, one folder per chapter, if
     * they can: set by whoever runs the tests where the files reach the reader (a student's own
     * run), unset where they do not (a grading platform), and then no link is given.
     */
    public static final String REPORTS_PROPERTY = "threadwork.jcstress.reports";

    /** Where, under the test JVM's working directory, each chapter's run has its folder (a constant: the grader reads it without loading this class). */
    public static final String WORK = "target/jcstress";

    private static final Map<String, Map<String, Outcomes>> RUNS = new ConcurrentHashMap<>();
    private static final long CHILD_TIMEOUT_SECONDS = 120;
    private static final int ITERATION_MILLIS = 200;

    /**
     * 200 ms on a quiet machine; on a busy one, longer in proportion to the load per CPU (then 1 s
     * and 3 s if a control saw nothing): the actors collide only while both are on a CPU at once.
     */
    private static int firstIterationMillis() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double perCpu = load < 0 ? 1 : load / Runtime.getRuntime().availableProcessors();
        return (int) Math.min(3000, ITERATION_MILLIS * Math.max(1, perCpu));
    }

    private Jcstress() {
    }

    /**
     * The outcomes jcstress saw for one stress test (a class nested in a holder class), from the
     * run of its whole chapter's batch. Two actors run at once only on two CPUs: a test calling
     * this is {@code @NeedsCpus(2)}.
     */
    public static Outcomes run(Class<?> stressTest) {
        String chapter = stressTest.getPackageName();
        Map<String, Outcomes> all = RUNS.computeIfAbsent(chapter, Jcstress::runAll);
        Outcomes outcomes = all.get(stressTest.getName().replace('$', '.')); // jcstress names nested tests with dots
        if (outcomes == null) {
            throw new AssertionError("jcstress did not run " + stressTest.getName() + "; it ran " + all.keySet() + "."
                    + kept(chapter, "console.log").map(log -> " Its console log: " + log).orElse(""));
        }
        outcomes.record();
        return outcomes;
    }

    private static Map<String, Outcomes> runAll(String chapter) {
        Map<String, Outcomes> outcomes = Map.of();
        int first = firstIterationMillis();
        for (int millis : new int[] {first, Math.max(first, 1000), 3000}) {
            outcomes = runAll(chapter, millis);
            if (outcomes.values().stream().allMatch(Outcomes::controlSeen)) {
                break;
            }
        }
        return outcomes;
    }

    private static Map<String, Outcomes> runAll(String chapter, int millis) {
        Path dir = workDir(chapter);
        try {
            clean(dir);
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "org.openjdk.jcstress.Main",
                    "-t", "^" + Pattern.quote(chapter + "."),
                    "-f", "1", "-iters", "1", "-time", String.valueOf(millis), "-sc", "false",
                    "-jvmArgs", "-Xss512k",
                    "-r", "report");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("console.log").toFile())
                    .start();
            try {
                if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    // Starved by other programs, or an actor that never returns: the grader tells them
                    // apart by what programs outside the tests used meanwhile (the tests are @Timed).
                    long cpu = Stream.concat(Stream.of(process.toHandle()),
                            process.descendants()).mapToLong(h -> h.info().totalCpuDuration().map(Duration::toMillis)
                            .orElse(0L)).sum();
                    throw new TooBusy(String.format("jcstress did not finish in %d s, its JVMs having computed for %.1f s;"
                            + " unless other programs kept the CPUs busy, an actor never returned: can a call block for"
                            + " ever (a lock never released, a wait that nothing signals)?%s", CHILD_TIMEOUT_SECONDS,
                            cpu / 1000.0, kept(chapter, "console.log").map(log -> " See " + log).orElse("")));
                }
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            return read(dir);
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("could not run jcstress in " + dir + " or read its results: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while jcstress ran", e);
        }
    }

    private static Map<String, Outcomes> read(Path dir) throws IOException, ClassNotFoundException {
        Path resultFile;
        try (Stream<Path> files = Files.list(dir)) {
            resultFile = files.filter(p -> p.getFileName().toString().startsWith("jcstress-results-"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("jcstress wrote no result file"
                            + kept(dir.getFileName().toString(), "console.log").map(log -> "; see " + log).orElse("")));
        }
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile.toString(), collector);
        reader.dump();
        reader.close();
        Map<String, List<TestResult>> byTest = new TreeMap<>();
        for (TestResult result : collector.getTestResults()) {
            byTest.computeIfAbsent(result.getName(), name -> new ArrayList<>()).add(result);
        }
        Map<String, Outcomes> outcomes = new TreeMap<>();
        byTest.forEach((name, results) -> outcomes.put(name, Outcomes.of(name, results, dir)));
        return outcomes;
    }

    private static Path workDir(String chapter) {
        return Path.of(WORK, chapter);
    }

    /**
     * Where the reader will find {@code file} of the chapter's jcstress run (its report/ folder's
     * files, or console.log), kept by whoever runs the tests; empty where no file reaches the reader.
     */
    private static Optional<String> kept(String chapter, String file) {
        String reports = System.getProperty(REPORTS_PROPERTY, "");
        return reports.isBlank() ? Optional.empty()
                : Optional.of(Path.of(reports, chapter, file).toString());
    }



    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    /** One observed outcome: how often, and what jcstress's annotations say of it. */
    public record Outcome(String id, long count, Expect expect, String description) {
    }

    /** Everything one stress test saw. */
    public record Outcomes(String test, long samples, List<Outcome> outcomes, List<String> errors,
            Optional<String> report) {

        static Outcomes of(String name, List<TestResult> results, Path dir) {
            Map<String, Outcome> merged = new TreeMap<>();
            List<String> errors = new ArrayList<>();
            long samples = 0;
            for (TestResult result : results) {
                samples += result.getTotalCount();
                if (result.status() != org.openjdk.jcstress.infra.Status.NORMAL) {
                    errors.add(result.status() + ": " + String.join(" ", result.getMessages()));
                }
                for (GradingResult g : TestGrading.grade(result).gradingResults.values()) {
                    Outcome before = merged.get(g.id);
                    long count = g.count + (before == null ? 0 : before.count());
                    merged.put(g.id, new Outcome(g.id, count, g.expect, g.description));
                }
            }
            return new Outcomes(name, samples, List.copyOf(merged.values()), errors,
                    kept(dir.getFileName().toString(), name + ".html")); // jcstress's page of this test
        }

        /** False for a control (a test with an interesting outcome) that saw none of its interesting outcomes. */
        boolean controlSeen() {
            List<Outcome> interesting = outcomes.stream()
                    .filter(o -> o.expect() == Expect.ACCEPTABLE_INTERESTING).toList();
            return interesting.isEmpty() || interesting.stream().anyMatch(o -> o.count() > 0);
        }

        /** The outcomes as bars for the report page ({@link Observations}). */
        void record() {
            List<Map<String, Object>> bars = new ArrayList<>();
            for (Outcome o : outcomes.stream().limit(12).toList()) {
                Map<String, Object> bar = new java.util.LinkedHashMap<>();
                bar.put("id", o.id());
                bar.put("count", o.count());
                bar.put("expect", words(o.expect()));
                bar.put("description", o.description());
                bars.add(bar);
            }
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("test", shortName());
            data.put("samples", samples);
            data.put("outcomes", bars);
            Observations.record("jcstress", data, 3);
        }

        /** How often the outcome with this id was seen. */
        public long count(String id) {
            return outcomes.stream().filter(o -> o.id().equals(id)).mapToLong(Outcome::count).sum();
        }

        /** Fails, with the table in words and the hint, if any FORBIDDEN outcome was seen or the test broke. */
        public void assertNothingForbidden(String hint) {
            boolean forbidden = outcomes.stream().anyMatch(o -> o.expect() == Expect.FORBIDDEN && o.count() > 0);
            if (forbidden || !errors.isEmpty() || samples == 0) {
                throw new AssertionError(hint + "\n" + table());
            }
        }

        /** Fails unless the outcome with this id was seen at least once. */
        public void assertSeen(String id, String why) {
            if (count(id) == 0 || !errors.isEmpty()) {
                throw new AssertionError(why + "\n" + table());
            }
        }

        /** What was seen, in one sentence: how often each outcome came up. */
        public String inWords() {
            StringBuilder out = new StringBuilder("jcstress ran " + shortName() + " " + String.format("%,d", samples) + " times:");
            String sep = " ";
            for (Outcome o : seen()) {
                out.append(sep).append(String.format("\"%s\" %,d times (%.1f%%, %s: %s)", o.id(), o.count(),
                        samples == 0 ? 0.0 : 100.0 * o.count() / samples, words(o.expect()), o.description()));
                sep = "; ";
            }
            return out.append('.').toString();
        }

        /** The outcomes that came up at least once: one never seen says nothing the student can act on. */
        private List<Outcome> seen() {
            return outcomes.stream().filter(o -> o.count() > 0).toList();
        }

        /** The result table in plain words, like the one jcstress prints. */
        public String table() {
            StringBuilder out = new StringBuilder("jcstress ran " + shortName() + " " + String.format("%,d", samples)
                    + " times:");
            for (Outcome o : seen()) {
                out.append(String.format("%n  %-12s %,14d times  %-24s %s", "\"" + o.id() + "\"", o.count(),
                        words(o.expect()), o.description()));
            }
            errors.forEach(e -> out.append("\n  error: ").append(e));
            report.ifPresent(link -> out.append("\n  (full report: ").append(link).append(')'));
            return out.toString();
        }

        private String shortName() {
            int dot = test.lastIndexOf('.', test.lastIndexOf('.') - 1);
            return test.substring(dot + 1);
        }

        private static String words(Expect expect) {
            return switch (expect) {
                case ACCEPTABLE -> "acceptable";
                case ACCEPTABLE_INTERESTING -> "acceptable, interesting";
                case FORBIDDEN -> "FORBIDDEN";
                default -> expect.toString().toLowerCase();
            };
        }
    }
}
