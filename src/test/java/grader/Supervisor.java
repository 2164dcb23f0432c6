package grader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kit.Broker;
import kit.Jcstress;

/**
 * Runs tests in test JVMs ({@link Child}) and, whatever those JVMs do, ends with an outcome for
 * every test it was given. A JVM that exits in the middle of a test (System.exit, out of memory,
 * a crash) or stops making progress fails that test with what happened, and a fresh JVM runs the
 * tests still to run. Everything a test JVM started is ended when it ends ({@link Sandbox}).
 *
 * <p>A test JVM runs the submission's code, so nothing it reports is taken on trust: the plan,
 * the points and gradability were decided before it started; its two accounts of each test (the
 * journal it writes and the lines it prints) must agree, name only tests it was given, start each
 * once and finish each once. Where they do not, the result says the grading was tampered with.
 */
final class Supervisor {

    /** Longer than any test's own timeout: past this with no word from the test JVM, it is killed. */
    static final long SILENCE_LIMIT_SECONDS = 300;
    /** The test JVM's heap. */
    static final String HEAP = "1g";
    /** The memory a grading may need: the test JVM's heap, the grader's JVM and a chapter's own JVMs (broker, model checks). */
    static final int MEMORY_MB = 2048;
    /** How the JVM ends on -XX:+ExitOnOutOfMemoryError: this exit code, after a line starting so on its standard output. */
    private static final int OUT_OF_MEMORY_EXIT = 3;
    private static final String OUT_OF_MEMORY_LINE = "Terminating due to java.lang.OutOfMemoryError";
    /** Lines of a test's own output shown on the console; the rest go to the log. */
    private static final int OUTPUT_LINES_SHOWN = 30;
    /** The most the grader reads back of a test JVM's journal, and of its measurements or a jcstress file. */
    private static final int MAX_JOURNAL_BYTES = 64 << 20;
    private static final int MAX_MEASUREMENTS_BYTES = 16 << 20;
    /**
     * A timing check's "the machine was too busy" is believed only if programs outside the test JVM
     * kept at least this many CPUs busy on average while it ran (a build beside it keeps one or more).
     */
    static final double OTHERS_BUSY = 0.25;
    /** Lines of a failure's message shown on the console. */
    static final int MESSAGE_LINES_SHOWN = 40;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Tests to run against one implementation. */
    record Run(int index, String label, List<Path> classpath, List<Planned> tests, boolean failFast) {
    }

    /** What became of the runs: each run's outcomes by test id, and why the accounts cannot be trusted, if so. */
    record Result(Map<Integer, Map<String, Outcome>> outcomes, List<String> tampering) {

        Map<String, Outcome> of(int run) {
            return outcomes.getOrDefault(run, Map.of());
        }
    }

    /**
     * A test JVM started ahead, for watch mode: it loads the libraries while the student types, and
     * waits for its spec. It is started as every test JVM is (the same sandbox, class path and hidden
     * folders) and serves one attempt only: after it has run code of a submission it is killed like
     * any other, so nothing a run leaves behind reaches the next.
     */
    static final class Ready implements AutoCloseable {

        final Path scratch;
        final Process process;
        final String nonce;
        final List<Path> hidden;

        private Ready(Path scratch, Process process, String nonce, List<Path> hidden) {
            this.scratch = scratch;
            this.process = process;
            this.nonce = nonce;
            this.hidden = hidden;
        }

        /** Starts one in {@code work}, hiding {@code hidden} from it. */
        static Ready start(Kit kit, Sandbox sandbox, Path work, List<Path> hidden, Path jcstressReports) throws IOException {
            Path scratch = sandbox.scratch(work.resolve("scratch-ready"));
            String nonce = HexFormat.of().formatHex(RANDOM.generateSeed(16));
            Process process = startJvm(kit, sandbox, scratch, hidden, null, jcstressReports);
            process.getOutputStream().write((nonce + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            return new Ready(scratch, process, nonce, List.copyOf(hidden));
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private final Kit kit;
    private final Sandbox sandbox;
    private final Path work;
    private final String order;
    private final PrintStream console;
    private final Path log;
    private final List<Path> hidden;
    private Path jcstressReports;
    private Ready ready;

    /**
     * @param work where the test JVMs' specs, log and scratch directories go
     * @param console where each test's line and output are shown as they come, or null for quiet
     * @param hidden folders the test JVM must not see (answers), where the sandbox can hide them
     */
    Supervisor(Kit kit, Sandbox sandbox, Path work, String order, PrintStream console, List<Path> hidden) {
        this.hidden = List.copyOf(hidden);
        this.kit = kit;
        this.sandbox = sandbox;
        this.work = work;
        this.order = order;
        this.console = console;
        this.log = work.resolve("tests.log");
    }

    /**
     * Keeps jcstress's reports in {@code dir} (one folder per chapter) and tells the tests so, for
     * a reader who has this machine's files; without it a failure gives no link that leads nowhere.
     */
    Supervisor keepJcstressReports(Path dir) {
        this.jcstressReports = dir;
        return this;
    }

    /**
     * The first attempt uses {@code jvm} (started by {@link Ready#start} with the same hidden
     * folders) instead of starting a JVM; it is ended with the attempt, whatever happens.
     */
    Supervisor startedAhead(Ready jvm) {
        if (jvm != null && (!jvm.process.isAlive() || !jvm.hidden.equals(hidden))) {
            jvm.close(); // it died, or the folders to hide changed since it started: a JVM of our own
            jvm = null;
        }
        ready = jvm;
        return this;
    }

    Result run(List<Run> runs) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Map<Integer, Map<String, Outcome>> outcomes = new LinkedHashMap<>();
        runs.forEach(r -> outcomes.put(r.index(), new LinkedHashMap<>()));
        List<String> tampering = new ArrayList<>();
        Set<Integer> over = new LinkedHashSet<>(); // fail-fast runs that have their failure
        int fruitless = 0;
        for (int attempt = 1; ; attempt++) {
            List<Run> todo = new ArrayList<>();
            for (Run run : runs) {
                List<Planned> left = run.tests().stream().filter(t -> !outcomes.get(run.index()).containsKey(t.id())).toList();
                if (!left.isEmpty() && !over.contains(run.index())) {
                    todo.add(new Run(run.index(), run.label(), run.classpath(), left, run.failFast()));
                }
            }
            if (todo.isEmpty()) {
                break;
            }
            Attempt a = new Attempt(attempt, todo);
            a.start();
            a.await();
            int before = outcomes.values().stream().mapToInt(Map::size).sum();
            a.settle(outcomes, tampering);
            for (Run run : todo) {
                if (run.failFast() && outcomes.get(run.index()).values().stream().anyMatch(o -> o.status() == Outcome.Status.FAILED)) {
                    over.add(run.index());
                }
                if (a.runsDone.contains(run.index())) {
                    // The JVM got through this run: a test it did not report (skipped by fail-fast) did not run.
                    over.add(run.index());
                }
            }
            if (!tampering.isEmpty()) {
                break;
            }
            int after = outcomes.values().stream().mapToInt(Map::size).sum();
            fruitless = after == before && a.runsDone.isEmpty() ? fruitless + 1 : 0;
            if (fruitless >= 2) {
                // Twice in a row it died before finishing anything: starting it again would do the same.
                String why = "did not run: the test JVM could not run the tests (exit code " + a.exitCode + "): "
                        + String.join("\n", a.lastOutput);
                for (Run run : todo) {
                    for (Planned t : run.tests()) {
                        outcomes.get(run.index()).putIfAbsent(t.id(), new Outcome(t.id(), Outcome.Status.FAILED, why, 0));
                    }
                }
                break;
            }
        }
        return new Result(outcomes, tampering);
    }

    /**
     * Starts a test JVM in {@code scratch}, in the sandbox; {@code spec} null: it reads the spec's
     * path from standard input after the nonce (started ahead).
     */
    private static Process startJvm(Kit kit, Sandbox sandbox, Path scratch, List<Path> hidden, Path spec,
            Path jcstressReports) throws IOException {
        List<Path> app = new ArrayList<>(List.of(kit.kitClasses(), kit.mainClasses()));
        app.addAll(kit.libraries());
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-XX:+UseSerialGC", "-Xshare:auto",
                // Out of memory, it ends at once and says so: an OutOfMemoryError (the JVM reuses one
                // object for all of them) could otherwise be caught, or turn into another exception.
                "-XX:+ExitOnOutOfMemoryError",
                // No process the code starts can attach to this JVM and read the harness's state (the model checker,
                // which attaches to itself, runs in a JVM of its own).
                "-XX:+DisableAttachMechanism",
                "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
                "-Djava.io.tmpdir=" + scratch.resolve("tmp"), "-Duser.home=" + scratch));
        kit.properties().forEach((k, v) -> java.add("-D" + k + "=" + v));
        if (jcstressReports != null) {
            Path shown = jcstressReports.toAbsolutePath().normalize();
            java.add("-D" + Jcstress.REPORTS_PROPERTY + "=" + (shown.startsWith(kit.basedir().toAbsolutePath())
                    ? kit.basedir().toAbsolutePath().relativize(shown) : shown));
        }
        List<Path> classpath = sandbox.readable(app);
        java.addAll(List.of("-cp", Kit.join(classpath), Child.class.getName()));
        if (spec != null) {
            java.add(spec.toString());
        }
        List<Path> kept = new ArrayList<>(classpath);
        kept.addAll(List.of(kit.basedir(), scratch, Path.of(System.getProperty("java.home")), sandbox.runtime()));
        String broker = kit.properties().get(Broker.URI_PROPERTY); // a RabbitMQ outside the test JVM's network
        ProcessBuilder builder = new ProcessBuilder(sandbox.wrap(java, hidden, scratch, kept, broker != null && !broker.isBlank()))
                .directory(scratch.toFile());
        builder.environment().put("HOME", scratch.toString());
        return builder.start();
    }

    /** One test JVM, from its start to the moment everything it started is gone. */
    private final class Attempt {

        final int number;
        final List<Run> runs;
        final Map<Integer, Run> byIndex = new LinkedHashMap<>();
        String nonce = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        final List<Event> printed = new ArrayList<>();
        final Map<String, Event> finishedSeen = new LinkedHashMap<>();
        final Set<String> startedSeen = new LinkedHashSet<>();
        final Set<Integer> runsDone = new LinkedHashSet<>();
        final List<String> problems = new ArrayList<>();
        final List<String> lastOutput = new ArrayList<>();
        final Map<String, java.util.Deque<Event>> unmatched = new LinkedHashMap<>();
        /** For each timed test ("run id"): the machine's load when it started, then what others used while it ran. */
        final Map<String, MachineLoad.Reading> loadAtStart = new LinkedHashMap<>();
        final Map<String, Double> othersBusy = new LinkedHashMap<>();
        Path scratch;
        Path journal;
        long journalRead;
        Process process;
        int exitCode;
        boolean silent;
        String running;
        long runningSince;
        String outOfMemory;
        int outputShown;

        Attempt(int number, List<Run> runs) {
            this.number = number;
            this.runs = runs;
            runs.forEach(r -> byIndex.put(r.index(), r));
        }

        void start() throws IOException {
            Ready jvm = ready;
            ready = null;
            scratch = jvm != null ? jvm.scratch : sandbox.scratch(work.resolve("scratch"));
            journal = scratch.resolve(Sandbox.OUT).resolve(Sandbox.JOURNAL);
            List<Child.Run> specRuns = new ArrayList<>();
            for (Run run : runs) {
                List<Path> classpath = new ArrayList<>(run.classpath());
                classpath.add(kit.kitClasses()); // the run's own copy of the kit and jcstress (Child.RunLoader)
                classpath.add(kit.jcstress());
                specRuns.add(new Child.Run(run.index(), run.label(),
                        sandbox.readable(classpath).stream().map(Path::toString).toList(),
                        run.tests().stream().map(Planned::id).toList(), run.failFast()));
            }
            Path spec = scratch.resolve(Sandbox.OUT).resolve("spec.json"); // the test JVM can read it, not replace it
            JSON.writeValue(spec.toFile(), new Child.Spec(journal.toString(), order,
                    scratch.resolve(Sandbox.OUT).resolve(Sandbox.MEASUREMENTS).toString(), specRuns));
            if (jvm != null) {
                process = jvm.process;
                nonce = jvm.nonce;
            } else {
                process = startJvm(kit, sandbox, scratch, hidden, spec, jcstressReports);
            }
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(((jvm != null ? "" : nonce + "\n") + (jvm != null ? spec + "\n" : ""))
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // it died at once; await() sees why
            }
        }

        void await() throws IOException, InterruptedException {
            BlockingQueue<String[]> lines = new LinkedBlockingQueue<>();
            Thread out = pump(process.getInputStream(), "out", lines);
            Thread err = pump(process.getErrorStream(), "err", lines);
            long lastWord = System.nanoTime();
            int open = 2; // each stream's pump says when it has reached the end
            while (open > 0) {
                String[] line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    if (System.nanoTime() - lastWord > TimeUnit.SECONDS.toNanos(SILENCE_LIMIT_SECONDS)) {
                        silent = true;
                        break;
                    }
                    continue;
                }
                if (line[1] == null) {
                    open--;
                    continue;
                }
                lastWord = System.nanoTime();
                handle(line[0], line[1]);
            }
            sandbox.killAll(process);
            out.join(5_000);
            err.join(5_000);
            exitCode = process.isAlive() ? Integer.MIN_VALUE : process.exitValue();
        }

        private Thread pump(InputStream stream, String name, BlockingQueue<String[]> lines) {
            Thread t = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(new String[] {name, line});
                    }
                } catch (IOException ignored) {
                    // the process is gone
                } finally {
                    lines.add(new String[] {name, null});
                }
            }, "grader-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void handle(String stream, String line) throws IOException {
            Event event = null;
            if (stream.equals("err")) {
                try {
                    event = Event.parse(line, nonce);
                } catch (JsonProcessingException e) {
                    problems.add("an unreadable report line: " + line);
                    return;
                }
            }
            if (event == null) {
                if (line.isEmpty()) {
                    return;
                }
                if (line.startsWith(OUT_OF_MEMORY_LINE)) {
                    outOfMemory = line.substring("Terminating due to ".length());
                }
                logLine(line);
                lastOutput.add(line);
                if (lastOutput.size() > 20) {
                    lastOutput.remove(0);
                }
                if (console != null) {
                    if (outputShown < OUTPUT_LINES_SHOWN) {
                        console.println("    | " + line);
                    } else if (outputShown == OUTPUT_LINES_SHOWN) {
                        console.println("    | [more output of this test in " + kit.basedir().relativize(log.toAbsolutePath()) + "]");
                    }
                }
                outputShown++;
                return;
            }
            printed.add(event);
            check(event);
            if (event.kind().equals("started")) {
                running = event.id();
                runningSince = System.nanoTime();
                outputShown = 0;
                String key = event.run() + " " + event.id();
                if (planned(event).map(Planned::timed).orElse(false)) {
                    MachineLoad.read(process.toHandle()).ifPresent(r -> loadAtStart.put(key, r));
                }
            } else if (event.kind().equals("finished")) {
                running = null;
                String key = event.run() + " " + event.id();
                MachineLoad.Reading before = loadAtStart.remove(key);
                if (before != null) {
                    MachineLoad.read(process.toHandle()).ifPresent(after -> othersBusy.put(key, MachineLoad.othersBusy(before, after)));
                }
                show(event);
            }
        }

        /** Is this event one the JVM could honestly report now? */
        private void check(Event e) {
            Run run = e.run() == null ? null : byIndex.get(e.run());
            switch (e.kind()) {
                case "started", "finished" -> {
                    if (run == null || run.tests().stream().noneMatch(t -> t.id().equals(e.id()))) {
                        problems.add("a report of a test it was not given: " + e.id());
                    } else if (e.kind().equals("started") && !startedSeen.add(e.run() + "/" + e.id())) {
                        problems.add("a test started twice: " + e.id());
                    } else if (e.kind().equals("finished") && !startedSeen.contains(e.run() + "/" + e.id())) {
                        problems.add("a test finished that never started: " + e.id());
                    } else if (e.kind().equals("finished") && finishedSeen.put(e.run() + "/" + e.id(), e) != null) {
                        problems.add("a test finished twice: " + e.id());
                    }
                }
                case "run-done" -> {
                    if (run == null) {
                        problems.add("the end of a run it was not given");
                    }
                    runsDone.add(e.run());
                }
                case "done" -> { }
                default -> problems.add("an unknown report: " + e.kind());
            }
        }

        /** The test's line on the console, with the whole message (from the journal) when it failed. */
        private void show(Event brief) throws IOException {
            Event full = journalEvent(brief);
            String title = title(brief);
            String status = brief.status();
            String mark = status.equals("PASSED") ? "  ok  " : status.equals("SKIPPED") ? "  --  "
                    : status.equals("BUSY") ? "  n/g " : "  FAIL";
            String line = String.format("%s %s (%.1f s)", mark, title, full == null || full.seconds() == null ? 0 : full.seconds());
            logLine(line);
            if (console != null && !status.equals("SKIPPED")) {
                console.println(line);
                if (!status.equals("PASSED") && full != null && full.message() != null) {
                    List<String> message = full.message().lines().toList();
                    message.stream().limit(MESSAGE_LINES_SHOWN).forEach(l -> console.println("         " + l));
                    if (message.size() > MESSAGE_LINES_SHOWN) {
                        console.println("         [" + (message.size() - MESSAGE_LINES_SHOWN) + " more lines in target/grading/results.json]");
                    }
                }
                console.flush();
            }
        }

        private String title(Event e) {
            return planned(e).map(Planned::title).orElse(e.id());
        }

        private Optional<Planned> planned(Event e) {
            Run run = byIndex.get(e.run());
            return run == null ? Optional.empty()
                    : run.tests().stream().filter(t -> t.id().equals(e.id())).findFirst();
        }

        /**
         * A test that says the machine was too busy to judge it: not graded, if it is a timing check
         * and programs outside the test JVM were seen keeping the CPUs busy meanwhile (where the grader
         * cannot see that, off Linux, it takes the test's word); else a failure.
         */
        private Outcome busy(Event e) {
            Double others = othersBusy.get(e.run() + " " + e.id());
            double seconds = e.seconds() == null ? 0 : e.seconds();
            if (!planned(e).map(Planned::timed).orElse(false)) {
                return new Outcome(e.id(), Outcome.Status.FAILED, "a test that is not a timing check ended as one that"
                        + " found the machine too busy: " + e.message(), seconds);
            }
            if (others == null || others >= OTHERS_BUSY) {
                return new Outcome(e.id(), Outcome.Status.NOT_GRADABLE, e.message() + (others == null ? ""
                        : String.format("; other programs kept %.1f CPUs busy meanwhile", others)), seconds);
            }
            return new Outcome(e.id(), Outcome.Status.FAILED, String.format("the kit's own reference could not show what"
                    + " this check needs, but programs other than the tests kept only %.2f CPUs busy meanwhile: either"
                    + " this code kept the CPUs busy itself (threads or processes left computing?), or this machine"
                    + " cannot run two threads at full speed at once (grade on one with two free CPUs). %s", others,
                    e.message()), seconds);
        }

        /** The journal's account of the event {@code brief} (they are written in the same order, the journal first). */
        private Event journalEvent(Event brief) throws IOException {
            for (Event e : readJournal(journalRead)) {
                unmatched.computeIfAbsent(e.key(), k -> new java.util.ArrayDeque<>()).add(e);
            }
            java.util.Deque<Event> same = unmatched.get(brief.key());
            return same == null ? null : same.poll();
        }

        /** The whole lines of the journal from byte {@code from} on (a line still being written waits). */
        private List<Event> readJournal(long from) throws IOException {
            byte[] all;
            try {
                all = sandbox.readWritten(journal, MAX_JOURNAL_BYTES);
            } catch (IOException refused) {
                problems.add("its journal was replaced: " + refused.getMessage());
                all = new byte[0];
            }
            int start = (int) Math.min(from, all.length);
            int end = start;
            for (int i = all.length - 1; i >= start; i--) {
                if (all[i] == '\n') {
                    end = i + 1;
                    break;
                }
            }
            List<Event> events = new ArrayList<>();
            for (String line : new String(all, start, end - start, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        events.add(Event.fromJson(line));
                    } catch (JsonProcessingException e) {
                        problems.add("an unreadable journal line: " + line);
                    }
                }
            }
            journalRead = end;
            return events;
        }

        /**
         * Compares the two accounts and turns them into outcomes: each finished test's, and a
         * failure for the test the JVM was in when it died.
         */
        void settle(Map<Integer, Map<String, Outcome>> outcomes, List<String> tampering) throws IOException {
            journalRead = 0;
            List<Event> written = readJournal(0);
            List<String> a = written.stream().map(Event::key).toList();
            List<String> b = printed.stream().map(Event::key).toList();
            String cutShort = null;
            if (!a.equals(b)) {
                // Dying between the two writes of one event leaves one account a single event longer.
                List<String> shorter = a.size() < b.size() ? a : b;
                List<String> longer = a.size() < b.size() ? b : a;
                if (longer.size() == shorter.size() + 1 && longer.subList(0, shorter.size()).equals(shorter)) {
                    cutShort = longer.get(longer.size() - 1);
                } else {
                    int i = 0;
                    while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
                        i++;
                    }
                    problems.add("its journal and its report lines disagree from event " + (i + 1) + " on (journal: "
                            + (i < a.size() ? a.get(i) : "nothing") + "; report lines: " + (i < b.size() ? b.get(i) : "nothing") + ")");
                }
            }
            if (!problems.isEmpty()) {
                tampering.addAll(problems.stream().map(p -> "test JVM " + number + ": " + p).toList());
                return;
            }
            String dying = null; // "run id" of the test the JVM was in when it stopped
            for (Event e : written) {
                if (e.kind().equals("started")) {
                    dying = e.run() + " " + e.id();
                } else if (e.kind().equals("finished") && !e.key().equals(cutShort)) {
                    Run run = byIndex.get(e.run());
                    Outcome.Status status = switch (e.status()) {
                        case "PASSED" -> Outcome.Status.PASSED;
                        case "SKIPPED" -> run.failFast() ? null : Outcome.Status.FAILED;
                        case "BUSY" -> Outcome.Status.NOT_GRADABLE; // decided by busy(e)
                        // Only the plan says a test cannot be graded here; an abort thrown by the code is a failure.
                        default -> Outcome.Status.FAILED;
                    };
                    if (status == Outcome.Status.NOT_GRADABLE) {
                        outcomes.get(e.run()).put(e.id(), busy(e));
                    } else if (status != null) {
                        outcomes.get(e.run()).put(e.id(), new Outcome(e.id(), status, e.message(),
                                e.seconds() == null ? 0 : e.seconds()));
                    }
                    if ((e.run() + " " + e.id()).equals(dying)) {
                        dying = null;
                    }
                }
            }
            if (dying != null) {
                int run = Integer.parseInt(dying.substring(0, dying.indexOf(' ')));
                String id = dying.substring(dying.indexOf(' ') + 1);
                String why = silent
                        ? "no progress for " + SILENCE_LIMIT_SECONDS + " s: the test hung past its own timeout (threads that ignore interrupts?)"
                        : exitCode == OUT_OF_MEMORY_EXIT && outOfMemory != null
                        ? String.format("ran out of memory %.0f s into the test (%s; the test JVM has %s of heap): does the"
                                + " code keep everything it makes, in a collection that only grows, or start threads without end?",
                                (System.nanoTime() - runningSince) / 1e9, outOfMemory, HEAP.replace("g", " GB"))
                        : "the test JVM died during this test (exit code " + exitCode + "): System.exit, Runtime.halt or a crash?";
                outcomes.get(run).put(id, new Outcome(id, Outcome.Status.FAILED, why, 0));
                logLine("  FAIL " + title(Event.started(run, id)) + ": " + why);
                if (console != null) {
                    console.println("  FAIL " + title(Event.started(run, id)));
                    console.println("         " + why);
                }
            }
            keepJcstress();
            // What the tests observed, for the report page's pictures: data, bounded, never a verdict.
            Path out = scratch.resolve(Sandbox.OUT);
            keepWritten(out.resolve(Child.OBSERVATIONS), (int) Child.MAX_OBSERVED_BYTES, true);
            keepWritten(out.resolve(Sandbox.MEASUREMENTS), MAX_MEASUREMENTS_BYTES, false);
        }

        /** Appends what the test JVM wrote into {@code file} to the grading's own file of that name. */
        private void keepWritten(Path file, int max, boolean wholeOrNothing) throws IOException {
            byte[] written;
            try {
                written = sandbox.readWritten(file, max + 1);
            } catch (IOException refused) {
                logLine("not kept: " + refused.getMessage());
                return;
            }
            if (written.length > max && wholeOrNothing) {
                return;
            }
            Files.write(work.resolve(file.getFileName().toString()), written.length > max ? java.util.Arrays.copyOf(written, max)
                    : written, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        /** jcstress's reports and console logs, out of the scratch folder the next test JVM starts afresh. */
        private void keepJcstress() {
            if (jcstressReports == null) {
                return;
            }
            Path runs = scratch.resolve(Jcstress.WORK);
            if (!Files.isDirectory(runs)) {
                return;
            }
            try (java.util.stream.Stream<Path> dirs = Files.list(runs)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    Path into = jcstressReports.resolve(dir.getFileName().toString());
                    Compilation.clean(into);
                    if (Files.isDirectory(dir.resolve("report"), LinkOption.NOFOLLOW_LINKS)) {
                        sandbox.copyWritten(dir.resolve("report"), into, MAX_MEASUREMENTS_BYTES);
                    }
                    if (Files.exists(dir.resolve("console.log"), LinkOption.NOFOLLOW_LINKS)) {
                        Files.write(into.resolve("console.log"), sandbox.readWritten(dir.resolve("console.log"), MAX_MEASUREMENTS_BYTES));
                    }
                }
            } catch (IOException e) {
                logLine("could not keep jcstress's reports: " + e); // the grade does not depend on them
            }
        }

        private void logLine(String line) {
            try {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
