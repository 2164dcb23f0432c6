package grader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw -q test -Pwatch}: the student's loop, like rustlings'. It grades the first
 * unfinished exercise, then waits: save an exercise file and that exercise is graded again (its
 * chapter's files recompiled, its tests run as {@code ./mvnw test} runs them, in the same sandbox,
 * so the score is the same); type {@code hint} for the lesson's section on it, {@code next} for the
 * next unfinished exercise, {@code approaches} for the other good ways once it passes, {@code quit}
 * to stop. Every grading rewrites target/grading/report.html (a reload shows it). Progress (exercises
 * done of all) is kept in {@code .threadwork/progress.json} between sessions, with what
 * {@code ./mvnw test} graded ({@link Progress}). The test JVM of the next save is started while the
 * student edits ({@link Supervisor.Ready}).
 */
@Command(name = "watch", mixinStandardHelpOptions = true)
public final class Watch implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Saves closer together than this are one. */
    private static final long QUIET_MILLIS = 300;

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--release", required = true)
    int release;

    @Option(names = "--property", description = "a system property for the test JVM, key=value (empty values are left out)")
    Map<String, String> properties = new java.util.HashMap<>();

    @Option(names = "--sandbox", defaultValue = "auto")
    String sandbox;

    @Option(names = "--exercise", defaultValue = "", description = "start with this exercise")
    String exercise;

    private final PrintStream out = System.out;

    /** An exercise of the catalogue, in lesson order. */
    record Entry(String chapter, String exercise, int number) {

        String key() {
            return chapter + "/" + exercise;
        }
    }

    public static void main(String[] args) {
        Preload.grader();
        System.exit(new CommandLine(new Watch()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Kit kit = Kit.fromClasspath(basedir, release, properties);
        Grading grading = new Grading(kit, Sandbox.choose(sandbox, kit.basedir()));
        List<Entry> catalogue = catalogue(kit);
        Progress progress = Progress.of(basedir);
        Entry current = catalogue.stream().filter(e -> e.exercise().equals(exercise)).findFirst()
                .orElseGet(() -> nextUnfinished(catalogue, progress, null));
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread keyboard = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line.strip());
                }
            } catch (IOException ignored) {
                // no keyboard: saving files still works
            }
            commands.add("quit");
        }, "watch-keyboard");
        keyboard.setDaemon(true);
        keyboard.start();
        out.println("Threadwork watch: save an exercise file to grade it again; type hint, next, approaches or quit (then Enter).");
        String lastFailure = null;
        // What each exercise's chapter held when it was last graded: a save that changed nothing grades nothing.
        Map<String, String> gradedSources = new java.util.HashMap<>();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            for (String chapter : kit.chapters()) {
                Path dir = basedir.resolve("exercises").resolve(chapter);
                if (Files.isDirectory(dir)) {
                    dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
                }
            }
            while (true) {
                if (current == null) {
                    out.println("Every exercise is done: " + progress.doneCount() + " of " + catalogue.size() + ". Well done.");
                    return 0;
                }
                gradedSources.put(current.key(), sources(current.chapter()));
                lastFailure = grade(grading, current, progress);
                grading.startAhead("exercises", work()); // the next save's test JVM starts while the student reads
                Entry next = nextUnfinished(catalogue, progress, current);
                out.println("Progress: " + progress.doneCount() + " of " + catalogue.size() + " exercises done."
                        + (next == null || next.equals(current) ? "" : " Type next for " + next.chapter() + " › " + next.exercise() + "."));
                // Wait for a save or a command.
                Entry chosen = null;
                while (chosen == null) {
                    String command = commands.poll(100, TimeUnit.MILLISECONDS);
                    if (command != null) {
                        switch (command) {
                            case "quit", "q", "exit" -> {
                                return 0;
                            }
                            case "hint", "h" -> hint(current, lastFailure);
                            case "approaches", "a" -> approaches(current, progress);
                            case "next", "n" -> chosen = next == null ? current : next;
                            case "" -> chosen = current;
                            default -> out.println("Commands: hint, next, approaches, quit; or just save a file.");
                        }
                    }
                    WatchKey key = watcher.poll();
                    if (key != null) {
                        Entry saved = saved(key, catalogue, watcher);
                        if (saved != null && !sources(saved.chapter()).equals(gradedSources.get(saved.key()))) {
                            chosen = saved;
                        }
                    }
                }
                current = chosen;
            }
        } finally {
            grading.endReady();
        }
    }

    private Path work() {
        return basedir.resolve("target/grading-watch");
    }

    /** A digest of the chapter's exercise files as they are now. */
    private String sources(String chapter) throws IOException {
        Path dir = basedir.resolve("exercises").resolve(chapter);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    crc.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    crc.update(Files.readAllBytes(f));
                }
            }
        }
        return Long.toHexString(crc.getValue());
    }

    /**
     * The exercise whose file was saved, once the editor has finished writing: saves that come in
     * a quick burst (an editor's temporary file and rename, a save-all) are one.
     */
    private Entry saved(WatchKey key, List<Entry> catalogue, WatchService watcher) throws InterruptedException {
        Entry chosen = null;
        while (key != null) {
            Path dir = (Path) key.watchable();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path file && file.toString().endsWith(".java")) {
                    String name = file.toString().replaceFirst("\\.java$", "");
                    String chapter = dir.getFileName().toString();
                    chosen = catalogue.stream().filter(e -> e.chapter().equals(chapter) && e.exercise().equals(name))
                            .findFirst().orElse(chosen);
                }
            }
            key.reset();
            key = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        }
        return chosen;
    }

    /** Grades one exercise as ./mvnw test would; returns its first failure's message, or null. */
    private String grade(Grading grading, Entry entry, Progress progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        out.println();
        out.println("[" + LocalTime.now().format(CLOCK) + "] " + entry.chapter() + " › " + entry.exercise() + " ...");
        Grading.Prepared prepared = grading.prepare("exercises", basedir.resolve("exercises"), List.of(entry.chapter()),
                Set.of(entry.exercise()));
        long compiled = System.nanoTime();
        Path work = work();
        Files.deleteIfExists(work.resolve(Child.OBSERVATIONS)); // the page shows this run's pictures only
        Grading.Graded graded = grading.run("exercises", prepared, work, "lesson", null, start);
        // Where a save's time went, for whoever tunes watch mode (target/grading-watch/timings.log).
        Files.writeString(work.resolve("timings.log"), String.format("%s compile+plan %.2f s, tests %.2f s%n", entry.key(),
                (compiled - start) / 1e9, (System.nanoTime() - compiled) / 1e9), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Path page = ReportPage.write(graded.board(), basedir.resolve("target/grading"), work, basedir,
                "Threadwork watch: " + entry.chapter() + " › " + entry.exercise());
        Scoreboard.ExerciseScore score = graded.board().exercises().stream().findFirst().orElse(null);
        if (score == null) {
            out.println("  no graded test found for " + entry.exercise());
            return null;
        }
        progress.record(graded.board());
        Scoreboard.Row first = score.firstFailure();
        out.printf("  %s/%d points (%.1f s)%s%n", Scoreboard.points(score.earned()), score.possible(),
                (System.nanoTime() - start) / 1e9, first == null ? ": done" : "");
        graded.board().notes().forEach(n -> out.println("  note: " + n));
        out.println("  report page (reload it in the browser): " + basedir.relativize(page));
        if (first == null) {
            if (!Approach.of(basedir, entry.chapter(), entry.exercise()).isEmpty()) {
                out.println("  Solved: type approaches to see other good ways to write it.");
            }
            return null;
        }
        out.println("  FAIL " + first.test().name());
        String message = first.outcome().message() == null ? "" : first.outcome().message();
        message.lines().limit(25).forEach(l -> out.println("       " + l));
        long failing = score.rows().stream().filter(Scoreboard.Row::failed).count();
        if (failing > 1) {
            out.println("  (" + (failing - 1) + " more test" + (failing > 2 ? "s" : "") + " of " + entry.exercise()
                    + " fail; ./mvnw test -Dexercise=" + entry.exercise() + " shows them all)");
        }
        return message;
    }

    /** The other good ways to write an exercise, once it is solved (before, they would give the answer away). */
    private void approaches(Entry entry, Progress progress) throws IOException {
        out.println();
        if (!progress.done(entry.key())) {
            out.println("Other ways to write " + entry.exercise() + " are shown once it passes: solve it first (hint helps).");
            return;
        }
        List<Approach> approaches = Approach.of(basedir, entry.chapter(), entry.exercise());
        if (approaches.isEmpty()) {
            out.println(Files.exists(Approach.file(basedir, entry.chapter(), entry.exercise())) ? Approach.WITHHELD
                    : "No other approaches are written down for " + entry.exercise() + " yet.");
            return;
        }
        out.println("Other good ways to write " + entry.exercise() + " (exercises/" + entry.chapter() + "/" + Approach.DIR + "/"
                + entry.exercise() + ".md):");
        for (Approach a : approaches) {
            out.println();
            out.println("  ## " + a.title());
            a.text().lines().forEach(l -> out.println("  " + l));
            out.println();
            a.code().lines().forEach(l -> out.println("    " + l));
        }
    }

    /** The lesson's section on the exercise, after the failure it is about. */
    private void hint(Entry entry, String failure) throws IOException {
        Path lesson = basedir.resolve("exercises").resolve(entry.chapter()).resolve("README.md");
        out.println();
        if (failure != null) {
            out.println("The failure says: " + failure.lines().findFirst().orElse(""));
        }
        if (!Files.exists(lesson)) {
            return;
        }
        List<String> section = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(lesson)) {
            if (line.startsWith("#")) {
                if (in) {
                    break;
                }
                in = line.contains("`" + entry.exercise());
            }
            if (in) {
                section.add(line);
            }
        }
        out.println("From the lesson (exercises/" + entry.chapter() + "/README.md):");
        section.stream().limit(30).forEach(l -> out.println("  " + l));
    }

    /** The first exercise not done after {@code after} in lesson order, from the start again if need be (null: all done). */
    private static Entry nextUnfinished(List<Entry> catalogue, Progress progress, Entry after) {
        int from = after == null ? 0 : catalogue.indexOf(after) + 1;
        for (int i = 0; i < catalogue.size(); i++) {
            Entry e = catalogue.get((from + i) % catalogue.size());
            if (!progress.done(e.key())) {
                return e;
            }
        }
        return null;
    }

    /** Every exercise of the kit in lesson order, read from the tests' sources (nothing compiled). */
    static List<Entry> catalogue(Kit kit) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String chapter : kit.chapters()) {
            try (Stream<Path> files = Files.list(kit.src("src", "test", "java", chapter))) {
                for (Path test : files.filter(p -> p.toString().endsWith("Test.java")).sorted().toList()) {
                    for (Planned t : Plan.parse(chapter, test)) {
                        if (t.graded()) {
                            entries.putIfAbsent(t.chapter() + "/" + t.exercise(), new Entry(t.chapter(), t.exercise(), t.number()));
                        }
                    }
                }
            }
        }
        return entries.values().stream().sorted(java.util.Comparator.comparing(Entry::chapter)
                .thenComparingInt(Entry::number).thenComparing(Entry::exercise)).toList();
    }

}
