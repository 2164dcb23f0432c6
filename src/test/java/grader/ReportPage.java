package grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report.html}: the run as a page, one self-contained file (inline CSS and SVG; nothing a
 * browser fetches, no script): the scoreboard with progress over the chapters, each exercise's
 * tests with their whole messages and, where a test observed something ({@link kit.Observations}),
 * a picture of it; once an exercise is solved, its other good ways ({@link Approach}).
 *
 * <p>The observations come from the test JVM, which runs the submission: they are read as data
 * (bounded in size and number, numbers clamped, every string escaped) and a picture never
 * decides anything. The verdicts beside them are the grader's own.
 */
final class ReportPage {

    static final String FILE = "report.html";
    /** Pictures drawn per test, and per page: the page of a whole suite stays well under 1 MB. */
    private static final int PICTURES_PER_TEST = 4;
    private static final int PICTURES_PER_PAGE = 200;
    /** Past this many characters the page draws no more pictures (whatever the observations say). */
    private static final int PICTURE_BUDGET = 800_000;
    private static final int MAX_TEXT = 200;
    private static final Set<String> KINDS = Set.of("in-flight", "threads", "jcstress", "deadlock", "speedup", "queue");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

    private final StringBuilder html = new StringBuilder(64 * 1024);
    private int pictures;

    private ReportPage() {
    }

    /**
     * Writes {@code dir/report.html} for {@code board}, with the pictures of the observations the
     * grading left in {@code observed} (a folder holding {@code observations.jsonl}) and the
     * approaches found under {@code basedir} (null for none).
     */
    static Path write(Scoreboard board, Path dir, Path observed, Path basedir, String title) throws IOException {
        Files.createDirectories(dir);
        Path page = dir.resolve(FILE);
        Files.writeString(page, render(board, read(observed.resolve(Child.OBSERVATIONS)), basedir, title), StandardCharsets.UTF_8);
        return page;
    }

    /** The page of a run the grader could not finish: why, and nothing stale. */
    static void failed(Path dir, String why) throws IOException {
        Files.createDirectories(dir);
        ReportPage p = new ReportPage();
        p.head("Threadwork: not graded");
        p.html.append("<h1>Threadwork: not graded</h1><p class=fail>").append(esc(why)).append("</p></body></html>\n");
        Files.writeString(dir.resolve(FILE), p.html, StandardCharsets.UTF_8);
    }

    /** Each test's observations by test id, as far as they are readable and within bounds. */
    static Map<String, List<JsonNode>> read(Path file) {
        return read(file, -1);
    }

    /** The observations of run {@code run} only (all runs when negative). */
    static Map<String, List<JsonNode>> read(Path file, int run) {
        Map<String, List<JsonNode>> byTest = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return byTest;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Child.MAX_OBSERVED_BYTES);
        } catch (IOException e) {
            return byTest;
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            try {
                // Read as a tree (cheaper than binding a record the first time): run, id, observations.
                JsonNode one = JSON.readTree(line);
                JsonNode observations = one == null ? null : one.get("observations");
                if (one == null || !one.path("id").isTextual() || observations == null || !observations.isArray()
                        || run >= 0 && one.path("run").asInt(-1) != run) {
                    continue;
                }
                List<JsonNode> list = new ArrayList<>();
                for (int i = 0; i < Math.min(observations.size(), kit.Observations.MAX_PER_TEST); i++) {
                    String json = observations.get(i).asText();
                    if (json.length() <= kit.Observations.MAX_CHARS) {
                        JsonNode node = JSON.readTree(json);
                        if (node != null && node.isObject() && KINDS.contains(node.path("kind").asText())) {
                            list.add(node);
                        }
                    }
                }
                byTest.put(one.path("id").asText(), list);
            } catch (IOException | RuntimeException unreadable) {
                // a line the test JVM garbled or forged: no picture, nothing else
            }
        }
        return byTest;
    }

    static String render(Scoreboard board, Map<String, List<JsonNode>> observed, Path basedir, String title) {
        ReportPage p = new ReportPage();
        p.page(board, observed, basedir, title);
        return p.html.toString();
    }

    private void head(String title) {
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>""").append(esc(title)).append("""
                </title>
                <style>
                body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:62em;padding:0 1em;color:#1b1b1b}
                h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .3em}h3{font-size:1.05em;margin:.8em 0 .2em}
                table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2em .5em;border-bottom:1px solid #ddd;vertical-align:top}
                td.n{text-align:right;white-space:nowrap}.ok{color:#1a7f37}.fail{color:#c62828}.skip{color:#8a6d00}
                pre{background:#f6f8fa;padding:.5em .7em;overflow-x:auto;white-space:pre-wrap;font-size:13px;margin:.3em 0}
                details.ex{border:1px solid #ddd;border-radius:6px;margin:.6em 0;padding:.3em .8em}
                details.ex>summary{cursor:pointer;font-weight:600}
                figure{margin:.5em 0}figcaption{font-size:13px;color:#444}svg{max-width:100%;height:auto;font:11px system-ui,sans-serif}
                .note{color:#555;font-size:13px}.legend span{display:inline-block;width:.9em;height:.9em;margin:0 .2em 0 .8em;vertical-align:middle}
                </style></head><body>
                """);
    }

    private void page(Scoreboard board, Map<String, List<JsonNode>> observed, Path basedir, String title) {
        head(title);
        html.append("<h1>").append(esc(title)).append("</h1>\n<p><b>")
                .append(Scoreboard.points(board.earned())).append(" of ").append(board.possible()).append(" points</b> · ")
                .append(board.gradedRows().stream().filter(Scoreboard.Row::passed).count()).append(" tests passed, ")
                .append(board.failedCount()).append(" failed · ").append(f(board.seconds()) + " s")
                .append(" · ").append(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString()
                        .replace('T', ' ').replace("Z", " UTC"))
                .append("</p>\n");
        board.tampering().forEach(t -> html.append("<p class=fail><b>Grading was tampered with, so this submission scores 0:</b> ")
                .append(esc(t)).append("</p>\n"));
        board.notes().forEach(n -> html.append("<p class=note>Note: ").append(esc(n)).append("</p>\n"));
        progress(board);
        scoreboard(board);
        for (Scoreboard.ExerciseScore e : board.exercises()) {
            exercise(e, observed, basedir);
        }
        if (!board.demonstrations().isEmpty()) {
            html.append("<h2>Demonstrations (no points)</h2>\n");
            for (Scoreboard.Row demo : board.demonstrations()) {
                html.append("<h3>").append(esc(demo.test().title())).append("</h3>\n<pre>").append(esc(Scoreboard.shown(demo)))
                        .append("</pre>\n");
                pictures(observed.getOrDefault(demo.test().id(), List.of()));
            }
        }
        html.append("<p class=note>Pictures show what the tests measured; the verdicts are the grader's, made from the"
                + " same measurements. This page fetches nothing: it reads the same offline.</p>\n</body></html>\n");
    }

    /** One bar per chapter: its points earned of those it has. */
    private void progress(Scoreboard board) {
        Map<String, double[]> chapters = new LinkedHashMap<>();
        for (Scoreboard.ExerciseScore e : board.exercises()) {
            double[] c = chapters.computeIfAbsent(e.chapter(), k -> new double[3]);
            c[0] += e.earned();
            c[1] += e.possible();
            c[2] += e.firstFailure() == null ? 1 : 0;
        }
        html.append("<h2>Progress over the chapters</h2>\n");
        int rowH = 20;
        svgOpen(640, rowH * chapters.size() + 6, "progress over the chapters", "progress");
        int y = 2;
        for (Map.Entry<String, double[]> c : chapters.entrySet()) {
            double share = c.getValue()[1] == 0 ? 0 : c.getValue()[0] / c.getValue()[1];
            html.append(text(4, y + 14, c.getKey(), "start"));
            html.append(rect(130, y + 3, 400, 13, "#e5e7eb"));
            html.append(rect(130, y + 3, 400 * share, 13, share >= 1 ? "#2e7d32" : "#1565c0"));
            html.append(text(538, y + 14, Scoreboard.points(c.getValue()[0]) + " / " + Scoreboard.points(c.getValue()[1]),
                    "start"));
            y += rowH;
        }
        html.append("</svg>\n");
    }

    private void scoreboard(Scoreboard board) {
        html.append("<h2>Scoreboard</h2>\n<table><tr><th>chapter</th><th>exercise</th><th class=n>points</th>"
                + "<th>first failure</th></tr>\n");
        for (Scoreboard.ExerciseScore e : board.exercises()) {
            Scoreboard.Row first = e.firstFailure();
            html.append("<tr><td>").append(esc(e.chapter())).append("</td><td><a href=\"#").append(anchor(e)).append("\">")
                    .append(esc(e.exercise())).append("</a></td><td class=n>").append(Scoreboard.points(e.earned())).append(" / ")
                    .append(e.possible()).append("</td><td>")
                    .append(first == null ? "<span class=ok>ok</span>"
                            : "<span class=fail>" + esc(first.test().name() + ": " + first.outcome().hint()) + "</span>")
                    .append("</td></tr>\n");
        }
        html.append("<tr><th colspan=2>total</th><th class=n>").append(Scoreboard.points(board.earned())).append(" / ")
                .append(board.possible()).append("</th><th></th></tr></table>\n");
    }

    private static String anchor(Scoreboard.ExerciseScore e) {
        return (e.chapter() + "-" + e.exercise()).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private void exercise(Scoreboard.ExerciseScore e, Map<String, List<JsonNode>> observed, Path basedir) {
        boolean solved = e.firstFailure() == null && e.rows().stream().anyMatch(Scoreboard.Row::passed);
        html.append("<details class=ex id=\"").append(anchor(e)).append("\" open><summary>")
                .append(esc(e.chapter() + " › " + e.exercise())).append(" — ").append(Scoreboard.points(e.earned()))
                .append(" / ").append(e.possible()).append(" points ")
                .append(solved ? "<span class=ok>✔ solved</span>" : "<span class=fail>✘</span>").append("</summary>\n");
        for (Scoreboard.Row row : e.rows()) {
            String mark = row.passed() ? "<span class=ok>passed</span>" : row.notGradable() ? "<span class=skip>not graded here</span>"
                    : "<span class=fail>failed</span>";
            html.append("<h3>").append(mark).append(" ").append(esc(row.test().name())).append(" <span class=note>(")
                    .append(Scoreboard.points(row.score())).append(" / ").append(Scoreboard.points(row.maxScore()))
                    .append(" points, ").append(f(row.outcome().seconds())).append(" s)").append("</span></h3>\n");
            String message = row.outcome().message();
            if (!row.passed() && message != null && !message.isBlank()) {
                html.append("<pre>").append(esc(message)).append("</pre>\n");
            }
            pictures(observed.getOrDefault(row.test().id(), List.of()));
        }
        if (solved && basedir != null) {
            approaches(e, basedir);
        }
        html.append("</details>\n");
    }

    private void approaches(Scoreboard.ExerciseScore e, Path basedir) {
        List<Approach> list;
        try {
            list = Approach.of(basedir, e.chapter(), e.exercise());
        } catch (IOException unreadable) {
            return;
        }
        if (list.isEmpty()) {
            return;
        }
        html.append("<h3>Other good ways to solve it</h3>\n");
        for (Approach a : list) {
            html.append("<details><summary>").append(esc(a.title())).append("</summary>\n<p>").append(esc(a.text()))
                    .append("</p>\n<pre>").append(esc(a.code())).append("</pre></details>\n");
        }
    }

    private void pictures(List<JsonNode> list) {
        int here = 0;
        for (JsonNode o : list) {
            if (here >= PICTURES_PER_TEST || pictures >= PICTURES_PER_PAGE || html.length() > PICTURE_BUDGET) {
                return;
            }
            int before = html.length();
            try {
                switch (o.path("kind").asText()) {
                    case "in-flight" -> inFlight(o);
                    case "threads" -> threads(o);
                    case "jcstress" -> jcstress(o);
                    case "deadlock" -> deadlock(o);
                    case "speedup" -> speedup(o);
                    case "queue" -> queue(o);
                    default -> { }
                }
            } catch (RuntimeException malformed) {
                html.setLength(before); // a picture the data cannot make is left out, whole
                continue;
            }
            if (html.length() > before) {
                here++;
                pictures++;
            }
        }
    }

    /** Requests in flight at the fake server over time, the limit dashed where the test has one. */
    private void inFlight(JsonNode o) {
        List<double[]> steps = steps(o.path("steps"));
        if (steps.isEmpty()) {
            return;
        }
        double limit = o.has("limit") ? num(o.path("limit"), 0, 10_000) : -1;
        double max = steps.stream().mapToDouble(s -> s[1]).max().orElse(1);
        double top = Math.max(1, Math.max(max, limit)) * 1.15;
        double end = Math.max(1, steps.get(steps.size() - 1)[0]);
        int w = 640, h = 150, left = 34, right = 10, topPad = 10, bottom = 22;
        double pw = w - left - right, ph = h - topPad - bottom;
        figure("Requests in flight at the fake server: at most " + fmt(num(o.path("max"), 0, 10_000)) + " at one moment, "
                + fmt(num(o.path("requests"), 0, 1e6)) + " requests" + (limit >= 0 ? "; the limit is " + fmt(limit) : ""));
        svgOpen(w, h, "requests in flight over time", "in-flight");
        axes(left, topPad, pw, ph, top, end / 1000.0, "ms");
        stepPath(steps, left, topPad, pw, ph, top, end);
        if (limit >= 0) {
            double y = topPad + ph - ph * limit / top;
            html.append("<line x1=\"").append(f(left)).append("\" x2=\"").append(f(left + pw)).append("\" y1=\"").append(f(y))
                    .append("\" y2=\"").append(f(y)).append("\" stroke=\"#c62828\" stroke-dasharray=\"5 3\"/>")
                    .append(text(left + pw - 2, y - 3, "limit " + fmt(limit), "end", "#c62828"));
        }
        html.append("</svg></figure>\n");
    }

    /** A step function's points from the test JVM ({micros, value} pairs), at most 400, clamped. */
    private static List<double[]> steps(JsonNode list) {
        List<double[]> steps = new ArrayList<>();
        for (JsonNode s : list) {
            if (steps.size() >= 400) {
                break;
            }
            steps.add(new double[] {num(s.path(0), 0, 1e9), num(s.path(1), 0, 10_000)});
        }
        return steps;
    }

    /** Draws a step function over a plot {@code pw} by {@code ph} at ({@code left}, {@code top}). */
    private void stepPath(List<double[]> steps, double left, double top, double pw, double ph, double yMax, double end) {
        StringBuilder d = new StringBuilder();
        double prevY = top + ph;
        d.append("M").append(f(left)).append(',').append(f(prevY));
        for (double[] s : steps) {
            double x = left + pw * Math.min(1, s[0] / end);
            double y = top + ph - ph * s[1] / yMax;
            d.append(" L").append(f(x)).append(',').append(f(prevY)).append(" L").append(f(x)).append(',').append(f(y));
            prevY = y;
        }
        html.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\"/>");
    }

    /**
     * A work queue (ch12): the tasks waiting in it over time, and below, a lane per worker with a bar
     * for each task it worked on, from its start to its reply.
     */
    private void queue(JsonNode o) {
        List<double[]> steps = steps(o.path("steps"));
        if (steps.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<List<double[]>> lanes = new ArrayList<>();
        o.path("workers").properties().forEach(e -> {
            if (lanes.size() < 8) {
                names.add(e.getKey());
                List<double[]> spans = new ArrayList<>();
                for (JsonNode span : e.getValue()) {
                    if (spans.size() < 200) {
                        spans.add(new double[] {num(span.path(0), 0, 1e9), num(span.path(1), 0, 1e9)});
                    }
                }
                lanes.add(spans);
            }
        });
        double end = Math.max(1, steps.get(steps.size() - 1)[0]);
        for (List<double[]> lane : lanes) {
            for (double[] span : lane) {
                end = Math.max(end, span[1]);
            }
        }
        double max = steps.stream().mapToDouble(s -> s[1]).max().orElse(1);
        double top = Math.max(1, max) * 1.15;
        int w = 640, left = 110, right = 60, topPad = 10, plotH = 90, rowH = 18;
        double pw = w - left - right;
        int h = topPad + plotH + 22 + rowH * lanes.size() + 4;
        figure("Queue " + clip(o.path("queue").asText(), 60) + ": " + fmt(num(o.path("tasks"), 0, 1e6))
                + " tasks sent, at most " + fmt(num(o.path("max"), 0, 1e6)) + " waiting at once; below, when each"
                + " worker worked on a task (from its start to its reply)");
        svgOpen(w, h, "tasks waiting in the queue over time, and each worker's tasks", "queue");
        html.append(text(left - 34, topPad + plotH / 2.0, "waiting", "end"));
        axes(left, topPad, pw, plotH, top, end / 1000.0, "ms");
        stepPath(steps, left, topPad, pw, plotH, top, end);
        double y = topPad + plotH + 22;
        for (int i = 0; i < lanes.size(); i++) {
            html.append(text(left - 6, y + 12, clip(names.get(i), 24), "end"));
            html.append(rect(left, y + 1, pw, rowH - 4, "#f1f3f4"));
            for (double[] span : lanes.get(i)) {
                double x0 = left + pw * Math.min(1, span[0] / end);
                double x1 = left + pw * Math.min(1, Math.max(span[0], span[1]) / end);
                html.append(rect(x0, y + 1, Math.max(1, x1 - x0 - 0.5), rowH - 4, "#2e7d32"));
            }
            html.append(text(w - right + 4, y + 12, fmt(lanes.get(i).size()) + " tasks", "start"));
            y += rowH;
        }
        html.append("</svg></figure>\n");
    }

    private static final Map<Character, String[]> STATES = Map.of(
            'R', new String[] {"#2e7d32", "running on a CPU"}, 'r', new String[] {"#a5d6a7", "runnable, no CPU time"},
            'B', new String[] {"#c62828", "blocked on a lock"}, 'W', new String[] {"#b0bec5", "waiting or sleeping"});

    /** A timeline per thread: when each ran, waited or was blocked. */
    private void threads(JsonNode o) {
        List<JsonNode> rows = new ArrayList<>();
        o.path("threads").forEach(t -> {
            if (rows.size() < 8) {
                rows.add(t);
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        figure("Threads over " + fmt(num(o.path("wallMs"), 0, 1e9)) + " ms: " + fmt(num(o.path("cpuMs"), 0, 1e9))
                + " ms of CPU time; share of it in parallel: " + fmt(num(o.path("parallelShare"), 0, 100)));
        int w = 640, rowH = 18, left = 170, right = 70;
        int h = rowH * rows.size() + 24;
        svgOpen(w, h, "a timeline per thread", "threads");
        int y = 2;
        for (JsonNode t : rows) {
            String states = clip(t.path("states").asText(), 400);
            html.append(text(left - 6, y + 12, clip(t.path("name").asText(), 28), "end"));
            html.append(rect(left, y + 1, w - left - right, rowH - 4, "#f1f3f4"));
            double cw = (double) (w - left - right) / Math.max(1, states.length());
            for (int i = 0; i < states.length(); ) {
                char c = states.charAt(i);
                int j = i;
                while (j < states.length() && states.charAt(j) == c) {
                    j++;
                }
                String[] style = STATES.get(c);
                if (style != null) {
                    html.append(rect(left + i * cw, y + 1, (j - i) * cw, rowH - 4, style[0]));
                }
                i = j;
            }
            html.append(text(w - right + 4, y + 12, fmt(num(t.path("cpuMs"), 0, 1e9)) + " ms CPU", "start"));
            y += rowH;
        }
        int x = 4;
        for (char c : new char[] {'R', 'r', 'B', 'W'}) {
            html.append(rect(x, y + 6, 10, 10, STATES.get(c)[0])).append(text(x + 14, y + 15, STATES.get(c)[1], "start"));
            x += 158; // room for the longest label at 11 px
        }
        html.append("</svg></figure>\n");
    }

    /** jcstress's outcomes as bars (a log scale: a rare outcome still shows), forbidden ones marked. */
    private void jcstress(JsonNode o) {
        List<JsonNode> bars = new ArrayList<>();
        o.path("outcomes").forEach(b -> {
            if (bars.size() < 12) {
                bars.add(b);
            }
        });
        if (bars.isEmpty()) {
            return;
        }
        double most = bars.stream().mapToDouble(b -> num(b.path("count"), 0, 1e15)).max().orElse(1);
        figure("jcstress ran " + clip(o.path("test").asText(), 80) + " " + fmt(num(o.path("samples"), 0, 1e15))
                + " times (bar lengths on a log scale)");
        int w = 640, rowH = 22, left = 90;
        svgOpen(w, rowH * bars.size() + 4, "jcstress outcomes", "jcstress");
        int y = 2;
        for (JsonNode b : bars) {
            double count = num(b.path("count"), 0, 1e15);
            String expect = clip(b.path("expect").asText(), 40);
            boolean forbidden = expect.equals("FORBIDDEN");
            String colour = forbidden ? (count > 0 ? "#c62828" : "#ef9a9a") : expect.contains("interesting") ? "#ef6c00" : "#2e7d32";
            double len = most <= 0 ? 0 : 220 * Math.log10(count + 1) / Math.log10(most + 1);
            html.append(text(left - 6, y + 14, "\"" + clip(b.path("id").asText(), 14) + "\"", "end"));
            html.append(rect(left, y + 3, Math.max(count > 0 ? 2 : 0, len), 14, colour));
            html.append(text(left + len + 6, y + 14, fmt(count) + " · "
                    + (forbidden ? "FORBIDDEN" + (count > 0 ? " — seen!" : "") : expect) + " · "
                    + clip(b.path("description").asText(), 60), "start", forbidden && count > 0 ? "#c62828" : "#333"));
            y += rowH;
        }
        html.append("</svg></figure>\n");
    }

    private static final int THREAD_RX = 78, THREAD_RY = 16, LOCK_HALF_W = 95, LOCK_HALF_H = 14;

    /** A deadlock: threads and locks in a ring, an arrow from each lock to the thread holding it and from each thread to the lock it waits for. */
    private void deadlock(JsonNode o) {
        List<String> threads = new ArrayList<>();
        List<String> locks = new ArrayList<>();
        List<String[]> holds = new ArrayList<>(); // lock, thread
        List<String[]> waits = new ArrayList<>(); // thread, lock
        for (JsonNode t : o.path("threads")) {
            if (threads.size() >= 6) {
                break;
            }
            String name = clip(t.path("name").asText(), 30);
            threads.add(name);
            for (JsonNode l : t.path("holds")) {
                String lock = clip(l.asText(), 40);
                if (!locks.contains(lock) && locks.size() < 8) {
                    locks.add(lock);
                }
                holds.add(new String[] {lock, name});
            }
            String wanted = clip(t.path("waitsFor").asText(), 40);
            if (!locks.contains(wanted) && locks.size() < 8) {
                locks.add(wanted);
            }
            waits.add(new String[] {name, wanted});
        }
        if (threads.isEmpty()) {
            return;
        }
        figure("Deadlock: each thread holds a lock (solid arrow, lock → thread) that another waits for (dashed, thread → lock)");
        List<String> ring = new ArrayList<>(); // thread, the lock it waits for, the thread holding that, ...
        for (String t : threads) {
            ring.add("t:" + t);
            for (String[] wt : waits) {
                if (wt[0].equals(t) && !ring.contains("l:" + wt[1])) {
                    ring.add("l:" + wt[1]);
                }
            }
        }
        for (String l : locks) {
            if (!ring.contains("l:" + l)) {
                ring.add("l:" + l);
            }
        }
        int w = 640, h = 300;
        double cx = w / 2.0, cy = h / 2.0, r = 105;
        Map<String, double[]> at = new LinkedHashMap<>();
        for (int i = 0; i < ring.size(); i++) {
            double a = -Math.PI / 2 + 2 * Math.PI * i / ring.size();
            at.put(ring.get(i), new double[] {cx + 1.9 * r * Math.cos(a), cy + r * Math.sin(a)});
        }
        svgOpen(w, h, "deadlocked threads and locks", "deadlock");
        html.append("<defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
                + " orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>");
        for (String[] hl : holds) {
            edge(at.get("l:" + hl[0]), at.get("t:" + hl[1]), false, false);
        }
        for (String[] wl : waits) {
            edge(at.get("t:" + wl[0]), at.get("l:" + wl[1]), true, true);
        }
        for (Map.Entry<String, double[]> n : at.entrySet()) {
            boolean thread = n.getKey().startsWith("t:");
            String label = n.getKey().substring(2);
            double[] p = n.getValue();
            if (thread) {
                html.append("<ellipse cx=\"").append(f(p[0])).append("\" cy=\"").append(f(p[1]))
                        .append("\" rx=\"").append(THREAD_RX).append("\" ry=\"").append(THREAD_RY)
                        .append("\" fill=\"#e3f2fd\" stroke=\"#1565c0\"/>");
            } else {
                html.append(rect(p[0] - LOCK_HALF_W, p[1] - LOCK_HALF_H, 2 * LOCK_HALF_W, 2 * LOCK_HALF_H, "#fff3e0")
                        .replace("/>", " stroke=\"#ef6c00\"/>"));
            }
            html.append(text(p[0], p[1] + 4, (thread ? "thread " : "lock: ") + label, "middle"));
        }
        html.append("</svg></figure>\n");
    }

    private void edge(double[] from, double[] to, boolean dashed, boolean fromThread) {
        if (from == null || to == null) {
            return;
        }
        double dx = to[0] - from[0], dy = to[1] - from[1];
        // From the edge of one node to the edge of the other, so that the arrowhead shows.
        double leave = border(dx, dy, fromThread), arrive = border(dx, dy, !fromThread);
        double sx = from[0] + dx * leave, sy = from[1] + dy * leave;
        double ex = to[0] - dx * arrive, ey = to[1] - dy * arrive;
        html.append("<line x1=\"").append(f(sx)).append("\" y1=\"").append(f(sy)).append("\" x2=\"").append(f(ex))
                .append("\" y2=\"").append(f(ey)).append("\" stroke=\"").append(dashed ? "#c62828" : "#333")
                .append("\" stroke-width=\"1.6\"").append(dashed ? " stroke-dasharray=\"6 4\"" : "")
                .append(" marker-end=\"url(#arr)\"/>");
    }

    /** The fraction of (dx, dy) from a node's centre to its outline, plus a small gap: an ellipse for a thread, a box for a lock. */
    private static double border(double dx, double dy, boolean thread) {
        double t = thread ? 1 / Math.max(1e-9, Math.hypot(dx / THREAD_RX, dy / THREAD_RY))
                : Math.min(LOCK_HALF_W / Math.max(1e-9, Math.abs(dx)), LOCK_HALF_H / Math.max(1e-9, Math.abs(dy)));
        return Math.min(0.45, t + 4 / Math.max(1, Math.hypot(dx, dy)));
    }

    /** The student's time beside the baseline's and, where the test ran one in the same rounds, the reference's. */
    private void speedup(JsonNode o) {
        double baseline = num(o.path("baselineMs"), 0, 1e9);
        double candidate = num(o.path("candidateMs"), 0, 1e9);
        List<Object[]> bars = new ArrayList<>();
        bars.add(new Object[] {"one at a time", baseline, "#90a4ae"});
        bars.add(new Object[] {"yours", candidate, "#1565c0"});
        if (o.has("referenceMs")) {
            bars.add(new Object[] {"the reference", num(o.path("referenceMs"), 0, 1e9), "#2e7d32"});
        }
        double most = bars.stream().mapToDouble(b -> (double) b[1]).max().orElse(1);
        figure(String.format(Locale.ROOT, "Speedup: yours %.1fx over one at a time (best of %s rounds)",
                baseline / Math.max(0.001, candidate), fmt(num(o.path("rounds"), 0, 1e6)))
                + (o.has("referenceMs") ? String.format(Locale.ROOT, "; the reference, in the same rounds, %.1fx",
                        baseline / Math.max(0.001, num(o.path("referenceMs"), 0, 1e9))) : ""));
        int w = 640, rowH = 22, left = 110;
        svgOpen(w, rowH * bars.size() + 4, "speedup", "speedup");
        int y = 2;
        for (Object[] b : bars) {
            double len = most <= 0 ? 0 : 400 * (double) b[1] / most;
            html.append(text(left - 6, y + 14, (String) b[0], "end")).append(rect(left, y + 3, len, 14, (String) b[2]))
                    .append(text(left + len + 6, y + 14, f((double) b[1]) + " ms", "start"));
            y += rowH;
        }
        html.append("</svg></figure>\n");
    }

    private void figure(String caption) {
        html.append("<figure><figcaption>").append(esc(caption)).append("</figcaption>\n");
    }

    private void svgOpen(int w, int h, String label, String kind) {
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" data-picture=\"").append(kind).append("\" viewBox=\"0 0 ")
                .append(w).append(' ').append(h).append("\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">");
    }

    private void axes(double left, double top, double pw, double ph, double yMax, double xMax, String unit) {
        html.append("<line x1=\"").append(f(left)).append("\" y1=\"").append(f(top + ph)).append("\" x2=\"").append(f(left + pw))
                .append("\" y2=\"").append(f(top + ph)).append("\" stroke=\"#999\"/>");
        html.append("<line x1=\"").append(f(left)).append("\" y1=\"").append(f(top)).append("\" x2=\"").append(f(left))
                .append("\" y2=\"").append(f(top + ph)).append("\" stroke=\"#999\"/>");
        int ticks = (int) Math.floor(yMax); // at most six labels, whatever the top
        int stepY = Math.max(1, (int) Math.ceil(ticks / 5.0));
        for (int v = 0; v <= ticks; v += stepY) {
            double y = top + ph - ph * v / yMax;
            html.append(text(left - 4, y + 4, String.valueOf(v), "end"));
        }
        for (int i = 0; i <= 4; i++) {
            html.append(text(left + pw * i / 4, top + ph + 14, fmt(xMax * i / 4) + (i == 4 ? " " + unit : ""),
                    i == 0 ? "start" : i == 4 ? "end" : "middle"));
        }
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return "<rect x=\"" + f(x) + "\" y=\"" + f(y) + "\" width=\"" + f(Math.max(0, w)) + "\" height=\"" + f(h)
                + "\" fill=\"" + fill + "\"/>";
    }

    private static String text(double x, double y, String text, String anchor) {
        return text(x, y, text, anchor, "#333");
    }

    private static String text(double x, double y, String text, String anchor, String fill) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" + fill + "\">" + esc(text)
                + "</text>";
    }

    /** A number from the test JVM, clamped to what a picture can show (NaN and garbage become the floor). */
    private static double num(JsonNode n, double min, double max) {
        double v = n.isNumber() ? n.asDouble() : min;
        return Double.isFinite(v) ? Math.max(min, Math.min(max, v)) : min;
    }

    private static String clip(String s, int max) {
        String one = s == null ? "" : CONTROL.matcher(s).replaceAll(" ");
        return one.length() > Math.min(max, MAX_TEXT) ? one.substring(0, Math.min(max, MAX_TEXT) - 1) + "…" : one;
    }

    /** A number for people: whole with thousands separated (10 and up), else to a tenth (String.format is slow cold). */
    private static String fmt(double v) {
        if ((v != Math.rint(v) && Math.abs(v) < 10) || Math.abs(v) >= 1e15) {
            return f(v);
        }
        String digits = Long.toString(Math.abs(Math.round(v)));
        StringBuilder out = new StringBuilder(v < 0 ? "-" : "");
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                out.append(',');
            }
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    /** A coordinate, to a tenth (String.format is too slow for thousands of them). */
    private static String f(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths < 0 && tenths > -10 ? "-0." + (-tenths % 10)
                : tenths / 10 + "." + Math.abs(tenths % 10));
    }

    /** Everything that goes into the page as text, escaped for HTML text and attributes alike. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
