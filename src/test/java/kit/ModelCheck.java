package kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jetbrains.lincheck.Lincheck;

/**
 * Races judged by model checking (Lincheck): instead of running threads for real and hoping two
 * of them collide, which needs two CPUs, the checker runs a few operations on two or more threads
 * and itself decides which thread goes next at every shared read, write and lock, exploring many
 * interleavings. A lost update, a check-then-act race, a deadlock or a wrong wake-up shows on one
 * CPU as on many, and the failure comes with the interleaving that caused it. It assumes
 * sequential consistency, so what only the memory model allows (a stale read without a lock) is
 * jcstress's to show, on two CPUs.
 *
 * <p>A scenario is a public {@link Runnable} class with a public no-argument constructor that starts
 * a few threads itself, joins them and asserts what must hold: it must hold in every interleaving
 * explored, and every thread must finish. What the threads share is kept in the scenario's fields,
 * set in {@code run()}: the checker takes an object made during the run for shared only once it is
 * reachable from a field, so an object that the threads only capture is never interleaved on. The checks run in a JVM of their own (the checker
 * instruments the classes it runs and attaches an agent to do so), with the test JVM's class path,
 * so they check the code being graded.
 */
public final class ModelCheck {

    /** How the child marks a scenario's verdict line; the scenario's report is in its file in the folder named on its command line. */
    private static final String VERDICT = "threadwork-model-check: ";
    /**
     * How much CPU time one scenario may take, the checker's start-up included: counted in CPU time,
     * not on the clock, so that a busy machine only makes it slower, while a scenario whose threads
     * spin for ever reaches it (a deadlock the checker reports itself).
     */
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** Each holder's verdicts, once per run (a run has its own copy of the kit's classes). */
    private static final Map<Class<?>, Map<String, Verdict>> RUNS = new ConcurrentHashMap<>();

    /** Interleavings explored: enough to find each race of the chapters' mutants every time (CALIBRATION.md, model checking). */
    private static final int INVOCATIONS = 100;

    /** How many times a scenario is checked while Lincheck's wall clock is all that fails it. */
    private static final int CLOCK_ATTEMPTS = 3;

    /**
     * How Lincheck reports a failure of its own (it cannot follow some code, such as joining a virtual
     * thread, in 3.7): that says nothing of the code checked.
     */
    private static final String CHECKER_BUG = "You've caught a bug in Lincheck";
    /** How long a scenario runs on real threads where the checker cannot follow it, and how long one run may take. */
    private static final Duration REAL_RUNS = Duration.ofSeconds(3);
    private static final Duration REAL_RUN = Duration.ofSeconds(10);

    private ModelCheck() {
    }

    /**
     * A scenario whose code may rightly start virtual threads of its own (an exercise that starts
     * its threads as it likes), which the checker cannot follow: where the code does, the scenario
     * runs on real threads instead. Only such a scenario: elsewhere a virtual thread started on
     * purpose would trade the model checking for luck.
     */
    public interface MayStartVirtualThreads extends Runnable {
    }

    /**
     * Whether the scenario {@code name}, run once for real, made the code under check start virtual
     * threads: their carrier threads (the group "CarrierThreads") are then alive. Before the checker
     * first runs, nothing is instrumented yet.
     */
    private static boolean usesVirtualThreads(String name) throws Exception {
        if (carriersAlive()) {
            return false; // seen before: an earlier scenario's threads, nothing to tell from
        }
        String failed = onRealThreads(name, 1);
        return failed.isEmpty() && carriersAlive();
    }

    private static boolean carriersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getThreadGroup() != null && "CarrierThreads".equals(t.getThreadGroup().getName()));
    }

    /**
     * Runs the scenario {@code name} for real, over and over for {@link #REAL_RUNS}: where the checker
     * cannot follow a correct style (virtual threads), it keeps its marks, and a race still fails when
     * the threads happen to hit it. Returns what failed, or "" if nothing did.
     */
    private static String onRealThreads(String name) throws Exception {
        return onRealThreads(name, Integer.MAX_VALUE);
    }

    /** {@link #onRealThreads(String)}, at most {@code most} runs. */
    private static String onRealThreads(String name, int most) throws Exception {
        long end = System.nanoTime() + REAL_RUNS.toNanos();
        int runs = 0;
        do {
            Runnable scenario = (Runnable) Class.forName(name).getConstructor().newInstance();
            Throwable[] failure = new Throwable[1];
            Thread thread = new Thread(() -> {
                try {
                    scenario.run();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            thread.setDaemon(true);
            thread.start();
            thread.join(REAL_RUN.toMillis());
            runs++;
            if (thread.isAlive()) {
                return "The execution has hung: run for real (the model checker could not follow this code), run " + runs
                        + " had not ended after " + REAL_RUN.toSeconds() + " s";
            }
            if (failure[0] != null) {
                return "Run for real (the model checker could not follow this code), run " + runs + " failed: " + failure[0];
            }
        } while (runs < most && System.nanoTime() < end);
        return "";
    }

    /**
     * How Lincheck reports a run that went past its wall-clock timeout: a thread dump, or only the
     * heading, and no interleaving. On a machine too busy to give the threads CPU, correct code gets
     * that too; a deadlock or a spin is the checker's own finding, with its interleaving.
     */
    private static boolean onlyTheClock(String report) {
        return report.contains("The execution has hung, see the thread dump") || report.strip().equals("= Concurrent test has hung =");
    }

    /** What the checker found. */
    public record Verdict(String scenario, boolean passed, String report, Duration took) {

        /** Whether the checker found threads that never ended (a deadlock, a lost wake-up, a spin). */
        public boolean hung() {
            return !passed && (report.contains("has hung") || report.startsWith("no verdict"));
        }

        /** Fails with {@code hint} and the interleaving that broke the code. */
        public void assertPassed(String hint) {
            assertPassed(hint, hint);
        }

        /** Fails with {@code hint}, or {@code hungHint} where threads never ended, and the interleaving that broke the code. */
        public void assertPassed(String hint, String hungHint) {
            if (!passed) {
                throw new AssertionError((hung() ? hungHint : hint)
                        + "\nModel checking (Lincheck) found an interleaving that breaks it:\n" + report);
            }
        }
    }

    /**
     * What the checker found for {@code scenario}, a public nested class of a holder class. All the
     * holder's scenarios are checked together, once per run, in a JVM of their own: the checker's
     * start-up (instrumenting the classes, attaching its agent) is paid once per chapter.
     */
    public static Verdict check(Class<? extends Runnable> scenario) {
        Class<?> holder = scenario.getEnclosingClass();
        if (holder == null) {
            throw new IllegalArgumentException("a scenario is a nested class of a holder class: " + scenario.getName());
        }
        Verdict verdict = RUNS.computeIfAbsent(holder, ModelCheck::checkAll).get(scenario.getName());
        if (verdict == null) {
            throw new IllegalArgumentException(scenario.getName() + " is not a public static Runnable of " + holder.getName());
        }
        Measure.log("model check " + scenario.getSimpleName(), (verdict.passed() ? "passed" : "failed") + " in "
                + verdict.took().toMillis() + " ms");
        return verdict;
    }

    private static Map<String, Verdict> checkAll(Class<?> holder) {
        List<String> left = new ArrayList<>(Arrays.stream(holder.getClasses())
                .filter(c -> Runnable.class.isAssignableFrom(c) && Modifier.isStatic(c.getModifiers())
                        && !Modifier.isAbstract(c.getModifiers()))
                .map(Class::getName).toList());
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        try {
            Path reports = Files.createTempDirectory("model-check-");
            while (!left.isEmpty()) {
                checkSome(left, reports, verdicts); // returns when one hung, or when all are done
                left.removeAll(verdicts.keySet());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the model checker's reports", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the model checker ran", e);
        }
        return verdicts;
    }

    /** One child JVM for the scenarios {@code names}, in order; one that gives no verdict in time is reported and the child ended. */
    private static void checkSome(List<String> names, Path reports, Map<String, Verdict> verdicts)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(reports.toString()));
        args.addAll(names);
        try (JavaProcess child = JavaProcess.start("the model checker", ModelCheck.class.getName(),
                List.of("-XX:+EnableDynamicAgentLoading", "-Djdk.attach.allowAttachSelf=true", "-XX:+UseSerialGC", "-Xmx256m"),
                args)) {
            for (String name : names) {
                String simple = name.substring(name.lastIndexOf('$') + 1);
                long start = System.nanoTime();
                Duration cpuAtStart = child.cpuTime();
                Optional<JavaProcess.Line> line = Optional.empty();
                while (line.isEmpty() && child.isAlive() && child.cpuTime().minus(cpuAtStart).compareTo(BOUND) < 0) {
                    line = child.awaitLine(l -> l.startsWith(VERDICT + name + " "), Duration.ofSeconds(1));
                }
                if (line.isEmpty()) { // one last look: the verdict may have come with the end of the output
                    line = child.awaitLine(l -> l.startsWith(VERDICT + name + " "), Duration.ZERO);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (line.isEmpty()) {
                    verdicts.put(name, new Verdict(simple, false, "no verdict: the checker ended, or used " + BOUND.toSeconds() + " s of CPU"
                            + " time on it: the scenario's threads never ended (a thread spinning for ever?). The checker's"
                            + " last output:\n" + child.tail(20), took));
                    return;
                }
                String result = line.get().text().substring((VERDICT + name + " ").length());
                String text = Files.readString(reports.resolve(name + ".txt"), StandardCharsets.UTF_8);
                switch (result) {
                    case "passed" -> verdicts.put(name, new Verdict(simple, true, "", took));
                    case "failed" -> verdicts.put(name, new Verdict(simple, false, trimmed(text), took));
                    default -> throw new AssertionError("the model checker could not check " + simple + ": " + text
                            + "\n" + child.tail(20));
                }
            }
        }
    }

    /**
     * The part of Lincheck's report a student reads: the results and the interleaving that led to
     * them, without the detailed trace of every field access after it.
     */
    static String trimmed(String report) {
        int detailed = report.indexOf("\nDetailed trace:");
        String shown = detailed < 0 ? report : report.substring(0, detailed);
        return shown.length() > 6000 ? shown.substring(0, 6000) + "\n[...]" : shown.strip();
    }

    /** The child: {@code kit.ModelCheck REPORT_DIR SCENARIO_CLASS...}, each scenario's report in REPORT_DIR/CLASS.txt. */
    public static void main(String[] args) throws Exception {
        JavaProcess.endWithParent();
        Path reports = Path.of(args[0]);
        for (String name : Arrays.asList(args).subList(1, args.length)) {
            String verdict;
            String text;
            int attempt = 0;
            do {
                boolean mayStartVirtual = MayStartVirtualThreads.class.isAssignableFrom(Class.forName(name));
                try {
                    if (mayStartVirtual && attempt == 0 && usesVirtualThreads(name)) { // which the checker cannot follow (3.7): it hangs or breaks
                        text = onRealThreads(name);
                        verdict = text.isEmpty() ? "passed" : "failed";
                        break;
                    }
                    Runnable scenario = (Runnable) Class.forName(name).getConstructor().newInstance();
                    Lincheck.runConcurrentTest(INVOCATIONS, scenario);
                    verdict = "passed";
                    text = "";
                } catch (AssertionError found) { // LincheckAssertionError: the scenario's assertion, a deadlock, a hang
                    verdict = "failed";
                    text = String.valueOf(found.getMessage());
                    if (mayStartVirtual && text.contains(CHECKER_BUG)) { // the checker could not follow the code: run it for real instead
                        text = onRealThreads(name);
                        verdict = text.isEmpty() ? "passed" : "failed";
                    }
                } catch (Throwable broken) {
                    verdict = "broken";
                    text = broken.toString();
                }
            } while (verdict.equals("failed") && onlyTheClock(text) && ++attempt < CLOCK_ATTEMPTS);
            Files.writeString(reports.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
            System.out.println();
            System.out.println(VERDICT + name + " " + verdict);
            System.out.flush();
        }
        Runtime.getRuntime().halt(0); // threads of a scenario that never ended must not keep this JVM alive
    }
}
