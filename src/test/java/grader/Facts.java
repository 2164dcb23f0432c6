package grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The facts the code states once (an exercise's number in {@code @Exercise}, its points in
 * {@code @Points}) and the places that repeat them for readers: GRADING.md's table, its chapter
 * totals and its per-exercise lists, the stubs' Javadoc, the chapter lessons' headings and the
 * README's chapter table. Each repetition is checked against the code; a mismatch is a gap.
 */
final class Facts {

    private static final Pattern RUBRIC_ROW = Pattern.compile(
            "^\\|\\s*(ch\\d\\d_\\w+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|\\s*(\\d+)\\s*\\|", Pattern.MULTILINE);
    private static final Pattern TOTALS = Pattern.compile("^Chapter totals:(.*)$", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("(ch\\d\\d_\\w+) (\\d+)");
    private static final Pattern BREAKDOWN = Pattern.compile("\\*\\*(\\w+) \\((\\d+)\\)\\*\\*");
    private static final Pattern HEADING = Pattern.compile("^#+\\s*Exercise (\\d+)\\b[^`\\n]*`(\\w+)", Pattern.MULTILINE);
    private static final Pattern MENTION = Pattern.compile("\\bexercise (\\d+), `(\\w+)|^\\|\\s*(\\d+) `(\\w+)`",
            Pattern.MULTILINE);
    private static final Pattern RANGE = Pattern.compile("\\(exercises? (\\d+)(?:[–-](\\d+))?\\)");
    private static final Pattern STUB = Pattern.compile("\\bExercise (\\d+)\\b");
    private static final Pattern CHAPTER_ROW = Pattern.compile(
            "^\\|\\s*(ch\\d\\d_\\w+)\\s*\\|\\s*([\\w, ]+?)\\s*\\((\\d+)(?:[–-](\\d+))?\\)\\s*\\|", Pattern.MULTILINE);

    /** An exercise as the code defines it. */
    record Exercise(String chapter, String name, int number, int points) {
    }

    // How many rounds of the kit's reference a check of many rounds needs before it fails code (Measure.SHOWN).
    private static final Pattern SHOWN = Pattern.compile("(?:in at least|in fewer than|fewer than) (\\d+) (?:of them|rounds)");

    private final Path basedir;
    private final List<String> chapters;
    private final Map<String, Exercise> exercises = new LinkedHashMap<>();
    private final List<String> gaps = new ArrayList<>();
    private int checked;

    /** From the plan of the solutions: every graded test of these chapters. */
    Facts(Path basedir, List<String> chapters, List<Planned> plan) {
        this.basedir = basedir;
        this.chapters = chapters;
        for (Planned t : plan) {
            if (t.graded()) {
                exercises.merge(t.exercise(), new Exercise(t.chapter(), t.exercise(), t.number(), t.points()),
                        (a, b) -> new Exercise(a.chapter(), a.name(), a.number(), a.points() + b.points()));
            }
        }
    }

    List<String> gaps() {
        return gaps;
    }

    int checked() {
        return checked;
    }

    /** Checks every place; returns the gaps found. */
    List<String> check() throws IOException {
        rubric();
        for (String chapter : chapters) {
            lesson(chapter);
            for (Exercise e : exercises.values()) {
                if (e.chapter().equals(chapter)) {
                    stub(e);
                }
            }
        }
        readme();
        shown("README.md");
        if (chapters.contains("ch06_cpu")) {
            shown("exercises/ch06_cpu/README.md");
        }
        return gaps;
    }

    /** The rounds of the reference a busy-machine verdict needs, where {@code name} says how many. */
    private void shown(String name) throws IOException {
        Matcher m = SHOWN.matcher(read(name).replaceAll("\\s+", " "));
        boolean any = false;
        while (m.find()) {
            any = true;
            expect(Integer.parseInt(m.group(1)) == kit.Measure.SHOWN, name + " says a busy-machine check needs the reference in "
                    + m.group(1) + " rounds; Measure.SHOWN is " + kit.Measure.SHOWN);
        }
        expect(any, name + " no longer says how many rounds of the reference a busy-machine check needs");
    }

    private void rubric() throws IOException {
        String text = read("GRADING.md");
        Map<String, Integer> written = new TreeMap<>();
        Matcher row = RUBRIC_ROW.matcher(text);
        while (row.find()) {
            if (chapters.contains(row.group(1))) {
                written.put(row.group(1) + " " + row.group(2) + " " + row.group(3), Integer.parseInt(row.group(4)));
            }
        }
        Map<String, Integer> coded = new TreeMap<>();
        exercises.values().forEach(e -> coded.put(e.chapter() + " " + e.number() + " " + e.name(), e.points()));
        coded.forEach((key, points) -> expect(Objects.equals(written.get(key), points),
                "GRADING.md's table: " + key + ": the code gives " + points + " points, the table " + written.get(key)));
        written.keySet().stream().filter(k -> !coded.containsKey(k))
                .forEach(k -> expect(false, "GRADING.md's table: " + k + " is in the table but no graded test has it"));

        Matcher totals = TOTALS.matcher(text);
        Map<String, Integer> writtenTotals = new TreeMap<>();
        if (totals.find()) {
            Matcher t = TOTAL.matcher(totals.group(1));
            while (t.find()) {
                writtenTotals.put(t.group(1), Integer.parseInt(t.group(2)));
            }
        }
        for (String chapter : chapters) {
            int sum = exercises.values().stream().filter(e -> e.chapter().equals(chapter)).mapToInt(Exercise::points).sum();
            expect(Objects.equals(writtenTotals.get(chapter), sum), "GRADING.md's chapter totals: " + chapter
                    + ": the code gives " + sum + ", the line " + writtenTotals.get(chapter));
        }
        Matcher b = BREAKDOWN.matcher(text);
        while (b.find()) {
            Exercise e = exercises.get(b.group(1));
            if (e != null) {
                expect(e.points() == Integer.parseInt(b.group(2)), "GRADING.md: **" + b.group(1) + " (" + b.group(2)
                        + ")**: the code gives " + e.points() + " points");
            }
        }
    }

    private void lesson(String chapter) throws IOException {
        Path file = basedir.resolve("exercises").resolve(chapter).resolve("README.md");
        if (!Files.exists(file)) {
            expect(false, chapter + " has no lesson (exercises/" + chapter + "/README.md)");
            return;
        }
        String text = Files.readString(file);
        String where = "exercises/" + chapter + "/README.md";
        for (Pattern p : List.of(HEADING, MENTION)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                int at = m.group(1) != null ? 1 : 3; // MENTION has two forms: "exercise N, `Name" and a table row "| N `Name`"
                numbered(where, m.group(at + 1), Integer.parseInt(m.group(at)));
            }
        }
        Matcher r = RANGE.matcher(text);
        while (r.find()) {
            range(where, chapter, r.group(1), r.group(2));
        }
    }

    private void stub(Exercise e) throws IOException {
        Path file = basedir.resolve("exercises").resolve(e.chapter()).resolve(e.name() + ".java");
        if (!Files.exists(file)) {
            return; // a submission may lack it; the kit's own stubs are checked by compiling them
        }
        Matcher m = STUB.matcher(Files.readString(file));
        expect(m.find() && Integer.parseInt(m.group(1)) == e.number(), "exercises/" + e.chapter() + "/" + e.name()
                + ".java's Javadoc should say \"Exercise " + e.number() + "\"");
    }

    private void readme() throws IOException {
        Matcher row = CHAPTER_ROW.matcher(read("README.md"));
        TreeSet<String> seen = new TreeSet<>();
        while (row.find()) {
            String chapter = row.group(1);
            if (!chapters.contains(chapter)) {
                continue;
            }
            seen.add(chapter);
            TreeSet<String> names = new TreeSet<>(List.of(row.group(2).split(",\\s*")));
            TreeSet<String> coded = exercises.values().stream().filter(e -> e.chapter().equals(chapter)).map(Exercise::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            expect(names.equals(coded), "README.md's chapter table: " + chapter + " lists " + names + ", the code has " + coded);
            range("README.md's chapter table", chapter, row.group(3), row.group(4));
        }
        for (String chapter : chapters) {
            expect(seen.contains(chapter), "README.md's chapter table has no row for " + chapter);
        }
    }

    private void numbered(String where, String name, int number) {
        Exercise e = exercises.get(name);
        if (e != null) {
            expect(e.number() == number, where + ": exercise " + number + " is " + name + ", whose number is " + e.number());
        }
    }

    private void range(String where, String chapter, String from, String to) {
        int lo = exercises.values().stream().filter(e -> e.chapter().equals(chapter)).mapToInt(Exercise::number).min().orElse(0);
        int hi = exercises.values().stream().filter(e -> e.chapter().equals(chapter)).mapToInt(Exercise::number).max().orElse(0);
        int a = Integer.parseInt(from);
        int b = to == null ? a : Integer.parseInt(to);
        expect(a == lo && b == hi, where + ": " + chapter + "'s exercises are " + lo + (hi == lo ? "" : "–" + hi)
                + ", not " + a + (b == a ? "" : "–" + b));
    }

    private String read(String name) throws IOException {
        Path file = basedir.resolve(name);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private void expect(boolean ok, String gap) {
        checked++;
        if (!ok) {
            gaps.add(gap);
        }
    }
}
