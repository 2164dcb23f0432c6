package grader;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The self-check's look at the report page ({@link ReportPage}) as a person sees it: the pages of
 * the self-check's own runs of the solutions, of the stubs (a run with failures) and of a
 * deadlocking mutant, opened in headless Chromium (Debian's {@code chromium}). Each must render
 * (the browser's DOM holds the whole page, no error on its console, nothing fetched) with a
 * picture of every kind its run measured; a screenshot of each is kept in target/kit-check/.
 */
final class PageCheck {

    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Pattern PICTURE = Pattern.compile("data-picture=\"([a-z-]+)\"");
    private static final long BROWSER_SECONDS = 90;

    private final Kit kit;
    private final PrintStream out;
    private final BiConsumer<Boolean, String> check;
    private final Consumer<String> notCheckedHere;

    PageCheck(Kit kit, PrintStream out, BiConsumer<Boolean, String> check, Consumer<String> notCheckedHere) {
        this.kit = kit;
        this.out = out;
        this.check = check;
        this.notCheckedHere = notCheckedHere;
    }

    /** A page to look at: what it shows and the observations its run left. */
    private record Page(String name, Scoreboard board, Map<String, List<JsonNode>> observed) {
    }

    /**
     * @param deadlockRun the run of a mutant whose tests found a deadlock, or -1
     */
    void check(Path work, List<Planned> solutionsPlan, List<Planned> stubsPlan, int cpus, int stubsRun,
            List<Supervisor.Run> runs, Supervisor.Result result, int deadlockRun) throws IOException, InterruptedException {
        List<Page> pages = new ArrayList<>();
        Map<String, Outcome> solved = new LinkedHashMap<>();
        Map<String, List<JsonNode>> solvedSeen = new LinkedHashMap<>();
        for (int i = 0; i < stubsRun; i++) {
            solved.putAll(result.of(i));
            solvedSeen.putAll(observed(work, i, i));
        }
        pages.add(new Page("solutions", new Scoreboard(solutionsPlan, solved, cpus, List.of(), List.of(), 0), solvedSeen));
        pages.add(new Page("stubs", new Scoreboard(stubsPlan, result.of(stubsRun), cpus, List.of(), List.of(), 0),
                observed(work, stubsRun, stubsRun)));
        if (deadlockRun >= 0) {
            int job = SelfCheck.mutantJobs(stubsRun, runs.size()).stream().filter(j -> j[0] <= deadlockRun && deadlockRun < j[1])
                    .findFirst().orElseThrow()[0];
            pages.add(new Page("deadlock", new Scoreboard(runs.get(deadlockRun).tests(), result.of(deadlockRun), cpus,
                    List.of(), List.of(), 0), observed(work, job, deadlockRun)));
        }
        String browser = browser();
        out.println();
        out.println("Report pages (target/kit-check/pages/), as headless Chromium shows them:");
        for (Page page : pages) {
            Path dir = work.resolve("pages").resolve(page.name());
            Files.createDirectories(dir);
            Path file = dir.resolve(ReportPage.FILE);
            Files.writeString(file, ReportPage.render(page.board(), page.observed(), kit.basedir(),
                    "Threadwork self-check: " + page.name()), StandardCharsets.UTF_8);
            Set<String> measured = new TreeSet<>(Set.of("progress"));
            page.board().gradedRows().forEach(r -> page.observed().getOrDefault(r.test().id(), List.of())
                    .forEach(o -> measured.add(o.path("kind").asText())));
            page.board().demonstrations().forEach(r -> page.observed().getOrDefault(r.test().id(), List.of())
                    .forEach(o -> measured.add(o.path("kind").asText())));
            long bytes = Files.size(file);
            if (browser == null) {
                out.printf("  %-10s %,9d bytes, pictures measured: %s (not opened: no Chromium here)%n", page.name(), bytes, measured);
                continue;
            }
            Path shot = work.resolve("report-" + page.name() + ".png");
            Files.deleteIfExists(shot);
            Run dom = run(browser, dir, "--dump-dom", file);
            Run screenshot = run(browser, dir, "--screenshot=" + shot, file);
            Set<String> drawn = new TreeSet<>();
            Matcher m = PICTURE.matcher(dom.stdout());
            while (m.find()) {
                drawn.add(m.group(1));
            }
            List<String> wrong = new ArrayList<>();
            if (dom.exit() != 0 || !dom.stdout().contains("</html>") || !dom.stdout().contains("Scoreboard")) {
                wrong.add("Chromium did not render it (exit " + dom.exit() + "): " + last(dom.stderr()));
            }
            for (String problem : List.of("Uncaught", "Refused to", "net::ERR")) {
                if (dom.stderr().contains(problem)) {
                    wrong.add("the browser's console says: " + lineWith(dom.stderr(), problem));
                }
            }
            Set<String> missing = new TreeSet<>(measured);
            missing.removeAll(drawn);
            if (!missing.isEmpty()) {
                wrong.add("pictures measured but not shown: " + missing);
            }
            if (screenshot.exit() != 0 || !Files.exists(shot)) {
                wrong.add("no screenshot (exit " + screenshot.exit() + "): " + last(screenshot.stderr()));
            }
            out.printf("  %-10s %s %,9d bytes, pictures %s; screenshot %s%n", page.name(), wrong.isEmpty() ? "ok  " : "BAD ",
                    bytes, drawn, kit.basedir().relativize(shot.toAbsolutePath()));
            wrong.forEach(w -> out.println("             " + w));
            check.accept(wrong.isEmpty(), "the report page of the " + page.name() + " run: " + String.join("; ", wrong));
        }
        if (browser == null) {
            notCheckedHere.accept("the report pages in a browser: no chromium on the PATH (apt-get install chromium)");
        }
    }

    /** The observations run {@code run} left in the folder of the test JVM job that ran it. */
    private static Map<String, List<JsonNode>> observed(Path work, int job, int run) {
        return ReportPage.read(work.resolve("runs").resolve(String.valueOf(job)).resolve(Child.OBSERVATIONS), run);
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(String browser, Path dir, String what, Path page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("threadwork-chromium-");
        try {
            List<String> command = List.of(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--enable-logging=stderr", "--v=0", "--window-size=1100,2600", "--user-data-dir=" + profile, what,
                    page.toUri().toString());
            Path stdout = dir.resolve("chromium.out");
            Path stderr = dir.resolve("chromium.err");
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Run(-1, "", "Chromium took more than " + BROWSER_SECONDS + " s");
            }
            return new Run(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Compilation.remove(profile);
        }
    }

    private static String browser() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : BROWSERS) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    private static String last(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String lineWith(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).findFirst().orElse(what);
    }
}
