package grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The score of a run, built once from the journal and shown three ways: the console table, the
 * Gradescope {@code results.json} and a Markdown summary for CI.
 *
 * <p>An exercise is worth the sum of its tests' {@link Points}. A test this machine cannot grade
 * (jcstress on one CPU) is left out and the exercise's other tests share its points, so the
 * exercise keeps its worth; the report says which tests were left out and why. A test that never
 * reported counts as failed.
 */
public final class Scoreboard {

    /** One graded or demonstration test with its outcome and the points it earned of those it could. */
    public record Row(Planned test, Outcome outcome, double score, double maxScore) {

        public boolean passed() {
            return outcome.status() == Outcome.Status.PASSED;
        }

        public boolean failed() {
            return outcome.status() == Outcome.Status.FAILED;
        }
    }

    /** An exercise's total and, if it lost points, the first failure's hint. */
    public record ExerciseScore(String chapter, String exercise, double earned, int possible, List<Row> rows) {

        public Row firstFailure() {
            return rows.stream().filter(r -> r.test().graded() && r.failed()).findFirst().orElse(null);
        }
    }

    private final List<ExerciseScore> exercises = new ArrayList<>();
    private final List<Row> demonstrations = new ArrayList<>();
    private final double seconds;

    public Scoreboard(Journal.State state, double seconds) {
        this.seconds = seconds;
        Map<String, List<Planned>> byExercise = new LinkedHashMap<>();
        List<Planned> ordered = state.plan().stream()
                .sorted(Comparator.comparing(Planned::chapter).thenComparingInt(Planned::number)).toList();
        for (Planned test : ordered) {
            if (test.demonstration()) {
                demonstrations.add(new Row(test, outcome(state, test), 0, 0));
            } else if (test.graded()) {
                byExercise.computeIfAbsent(test.chapter() + "/" + test.exercise(), k -> new ArrayList<>()).add(test);
            }
        }
        byExercise.values().forEach(tests -> exercises.add(score(state, tests)));
    }

    private static Outcome outcome(Journal.State state, Planned test) {
        if (!test.gradableHere()) {
            return new Outcome(test.id(), Outcome.Status.NOT_GRADABLE, "not gradable on this machine: it needs " + test.cpus()
                    + " CPUs, this machine has " + Runtime.getRuntime().availableProcessors(), 0);
        }
        Outcome outcome = state.outcomes().get(test.id());
        return outcome != null ? outcome
                : new Outcome(test.id(), Outcome.Status.FAILED, "did not run (an earlier failure stopped the run)", 0);
    }

    private static ExerciseScore score(Journal.State state, List<Planned> tests) {
        int possible = tests.stream().mapToInt(Planned::points).sum();
        int gradable = 0;
        List<Outcome> outcomes = new ArrayList<>();
        for (Planned test : tests) {
            Outcome outcome = outcome(state, test);
            outcomes.add(outcome);
            if (outcome.status() != Outcome.Status.NOT_GRADABLE) {
                gradable += test.points();
            }
        }
        double scale = gradable == 0 ? 0 : (double) possible / gradable;
        List<Row> rows = new ArrayList<>();
        double earned = 0;
        for (int i = 0; i < tests.size(); i++) {
            Planned test = tests.get(i);
            Outcome outcome = outcomes.get(i);
            double max = outcome.status() == Outcome.Status.NOT_GRADABLE ? 0 : round(test.points() * scale);
            double got = outcome.status() == Outcome.Status.PASSED ? max : 0;
            earned += got;
            rows.add(new Row(test, outcome, got, max));
        }
        return new ExerciseScore(tests.get(0).chapter(), tests.get(0).exercise(), round(earned), possible, rows);
    }

    public List<ExerciseScore> exercises() {
        return exercises;
    }

    public List<Row> demonstrations() {
        return demonstrations;
    }

    public double earned() {
        return round(exercises.stream().mapToDouble(ExerciseScore::earned).sum());
    }

    public int possible() {
        return exercises.stream().mapToInt(ExerciseScore::possible).sum();
    }

    public List<Row> gradedRows() {
        return exercises.stream().flatMap(e -> e.rows().stream()).toList();
    }

    /** Every graded test passed (or could not be graded here). */
    public boolean allPassed() {
        return gradedRows().stream().noneMatch(Row::failed);
    }

    public void print(PrintStream out, String title) {
        out.println();
        out.println("=== " + title + " ===");
        out.printf("%-16s %-24s %9s  %s%n", "chapter", "exercise", "points", "first failure");
        for (ExerciseScore e : exercises) {
            Row first = e.firstFailure();
            out.printf("%-16s %-24s %9s  %s%n", e.chapter(), e.exercise(), points(e.earned()) + "/" + e.possible(),
                    first == null ? "ok" : first.test().name() + ": " + first.outcome().hint());
        }
        out.printf("%-41s %9s%n", "total", points(earned()) + "/" + possible());
        for (Row row : gradedRows()) {
            if (row.outcome().status() == Outcome.Status.NOT_GRADABLE) {
                out.println("not graded here: " + row.test().title() + ": " + row.outcome().hint());
            }
        }
        for (Row demo : demonstrations) {
            out.println("demonstration (no points): " + demo.test().title() + ": " + shown(demo));
        }
        long passed = gradedRows().stream().filter(Row::passed).count();
        long failed = gradedRows().stream().filter(Row::failed).count();
        out.println("reports: target/grading/results.json, target/grading/summary.md");
        out.println("tests: " + passed + " passed, " + failed + " failed");
    }

    /** Gradescope's autograder results and a Markdown summary, into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode results = json.createObjectNode();
        results.put("score", earned());
        results.put("max_score", possible());
        results.put("execution_time", Math.round(seconds));
        results.put("output", "Threadwork: " + points(earned()) + " of " + possible() + " points.");
        ArrayNode tests = results.putArray("tests");
        for (Row row : gradedRows()) {
            ObjectNode test = tests.addObject();
            test.put("name", row.test().title());
            test.put("score", row.score());
            test.put("max_score", row.maxScore());
            test.put("status", row.failed() ? "failed" : "passed");
            test.put("output", switch (row.outcome().status()) {
                case PASSED -> "";
                case FAILED -> row.outcome().message();
                case NOT_GRADABLE -> "Not graded on this machine (its points go to the exercise's other tests): "
                        + row.outcome().message();
            });
            test.put("visibility", "visible");
        }
        for (Row demo : demonstrations) {
            ObjectNode test = tests.addObject();
            test.put("name", demo.test().title() + " (demonstration)");
            test.put("score", 0);
            test.put("max_score", 0);
            test.put("status", demo.failed() ? "failed" : "passed");
            test.put("output", shown(demo));
            test.put("visibility", "visible");
        }
        json.writeValue(dir.resolve("results.json").toFile(), results);

        StringBuilder md = new StringBuilder("## Threadwork: " + points(earned()) + " / " + possible() + " points\n\n");
        md.append("| chapter | exercise | points | first failure |\n|---|---|---:|---|\n");
        for (ExerciseScore e : exercises) {
            Row first = e.firstFailure();
            md.append("| ").append(e.chapter()).append(" | ").append(e.exercise()).append(" | ")
                    .append(points(e.earned())).append(" / ").append(e.possible()).append(" | ")
                    .append(first == null ? "✅" : "❌ " + cell(first.test().name() + ": " + first.outcome().hint()))
                    .append(" |\n");
        }
        for (Row demo : demonstrations) {
            md.append("\nDemonstration (no points): ").append(demo.test().title()).append(": ")
                    .append(cell(shown(demo))).append('\n');
        }
        Files.writeString(dir.resolve("summary.md"), md);
    }

    /** What became of a demonstration, in words. */
    static String shown(Row demo) {
        return switch (demo.outcome().status()) {
            case PASSED -> "shown";
            case NOT_GRADABLE -> "not run on this machine: " + demo.outcome().hint();
            case FAILED -> "not shown: " + demo.outcome().hint();
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    static String points(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
