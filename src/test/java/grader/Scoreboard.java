package grader;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The score of a run, built once from the plan and the outcomes and shown every way a user reads
 * it (the console here, the reports in {@link Reports}).
 *
 * <p>An exercise is worth the sum of its tests' points. A test this machine cannot grade (it needs
 * more CPUs than there are) is left out and the exercise's other tests share its points, so the
 * exercise keeps its worth. A test without an outcome counts as failed. A run whose accounts
 * disagree ({@code tampering}) scores zero: neither account is trusted.
 */
final class Scoreboard {

    /** One graded or demonstration test with its outcome and the points it earned of those it could. */
    record Row(Planned test, Outcome outcome, double score, double maxScore) {

        boolean passed() {
            return outcome.status() == Outcome.Status.PASSED;
        }

        boolean failed() {
            return outcome.status() == Outcome.Status.FAILED;
        }

        boolean notGradable() {
            return outcome.status() == Outcome.Status.NOT_GRADABLE;
        }
    }

    /** An exercise's total and, if it lost points, the first failure. */
    record ExerciseScore(String chapter, String exercise, int number, double earned, int possible, List<Row> rows,
            double exactEarned) {

        Row firstFailure() {
            return rows.stream().filter(Row::failed).findFirst().orElse(null);
        }
    }

    private static final String NOT_GRADABLE = "not gradable on this machine: ";

    private final List<ExerciseScore> exercises = new ArrayList<>();
    private final List<Row> demonstrations = new ArrayList<>();
    private final List<String> tampering;
    private final List<String> notes;
    private final double seconds;
    private final int cpus;

    /**
     * @param plan the tests, in lesson order
     * @param cpus the CPUs of the machine that ran them
     * @param notes what the report should say besides the tests (files ignored, the sandbox)
     */
    Scoreboard(List<Planned> plan, Map<String, Outcome> outcomes, int cpus, List<String> tampering, List<String> notes,
            double seconds) {
        this.tampering = List.copyOf(tampering);
        this.notes = List.copyOf(notes);
        this.seconds = seconds;
        this.cpus = cpus;
        Map<String, List<Planned>> byExercise = new LinkedHashMap<>();
        for (Planned test : plan) {
            if (test.demonstration()) {
                demonstrations.add(new Row(test, outcome(outcomes, test), 0, 0));
            } else if (test.graded()) {
                byExercise.computeIfAbsent(test.chapter() + "/" + test.exercise(), k -> new ArrayList<>()).add(test);
            }
        }
        byExercise.values().forEach(tests -> exercises.add(score(outcomes, tests)));
    }

    private Outcome outcome(Map<String, Outcome> outcomes, Planned test) {
        if (!test.gradableOn(cpus)) {
            return new Outcome(test.id(), Outcome.Status.NOT_GRADABLE, NOT_GRADABLE + "it needs "
                    + test.cpus() + " CPUs, this machine has " + cpus, 0);
        }
        if (!tampering.isEmpty()) {
            return new Outcome(test.id(), Outcome.Status.FAILED, "grading was tampered with: " + tampering.get(0), 0);
        }
        Outcome outcome = outcomes.get(test.id());
        return outcome != null ? outcome
                : new Outcome(test.id(), Outcome.Status.FAILED, "did not run (an earlier failure stopped the run)", 0);
    }

    private ExerciseScore score(Map<String, Outcome> outcomes, List<Planned> tests) {
        int possible = tests.stream().mapToInt(Planned::points).sum();
        int gradable = 0;
        int passedPoints = 0;
        List<Outcome> outs = new ArrayList<>();
        for (Planned test : tests) {
            Outcome outcome = outcome(outcomes, test);
            outs.add(outcome);
            if (outcome.status() != Outcome.Status.NOT_GRADABLE) {
                gradable += test.points();
            }
            if (outcome.status() == Outcome.Status.PASSED) {
                passedPoints += test.points();
            }
        }
        double scale = gradable == 0 ? 0 : (double) possible / gradable;
        List<Row> rows = new ArrayList<>();
        double earned = 0;
        for (int i = 0; i < tests.size(); i++) {
            Planned test = tests.get(i);
            Outcome outcome = outs.get(i);
            double max = outcome.status() == Outcome.Status.NOT_GRADABLE ? 0 : test.points() * scale;
            double got = outcome.status() == Outcome.Status.PASSED ? max : 0;
            earned += got; // rounded once, for the exercise: all its gradable tests passed earn all its points
            rows.add(new Row(test, outcome, round(got), round(max)));
        }
        Planned first = tests.get(0);
        // The same share unrounded, for a platform that takes a fraction: exact wherever the points allow.
        double exact = gradable == 0 ? 0 : (double) possible * passedPoints / gradable;
        return new ExerciseScore(first.chapter(), first.exercise(), first.number(), round(earned), possible, rows, exact);
    }

    List<ExerciseScore> exercises() {
        return exercises;
    }

    List<Row> demonstrations() {
        return demonstrations;
    }

    List<String> tampering() {
        return tampering;
    }

    List<String> notes() {
        return notes;
    }

    double seconds() {
        return seconds;
    }

    double earned() {
        return round(exercises.stream().mapToDouble(ExerciseScore::earned).sum());
    }

    /** The share of the points earned, from 0 to 1, unrounded (3 of 9 is 1/3, not 0.33). */
    double fraction() {
        int possible = possible();
        return possible == 0 ? 0 : exercises.stream().mapToDouble(ExerciseScore::exactEarned).sum() / possible;
    }

    /** The graded tests this machine could not grade. */
    List<Row> notGradedRows() {
        return gradedRows().stream().filter(Row::notGradable).toList();
    }

    int possible() {
        return exercises.stream().mapToInt(ExerciseScore::possible).sum();
    }

    List<Row> gradedRows() {
        return exercises.stream().flatMap(e -> e.rows().stream()).toList();
    }

    /** Every graded test passed (or could not be graded here), and there was something to grade. */
    boolean allPassed() {
        return !exercises.isEmpty() && tampering.isEmpty() && gradedRows().stream().noneMatch(Row::failed);
    }

    long failedCount() {
        return gradedRows().stream().filter(Row::failed).count();
    }

    /** The scoreboard: one line per exercise, then what was not graded here and the demonstrations. */
    void print(PrintStream out, String title) {
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
            if (row.notGradable()) {
                out.println("not graded here: " + row.test().title() + ": " + row.outcome().hint());
            }
        }
        for (Row demo : demonstrations) {
            out.println("demonstration (no points): " + demo.test().title() + ": " + shown(demo));
        }
        notes.forEach(note -> out.println("note: " + note));
        tampering.forEach(t -> out.println("GRADING WAS TAMPERED WITH, score 0: " + t));
        long passed = gradedRows().stream().filter(Row::passed).count();
        out.println("tests: " + passed + " passed, " + failedCount() + " failed");
    }

    /** What became of a demonstration, in words: what it showed, when it passed. */
    static String shown(Row demo) {
        return switch (demo.outcome().status()) {
            case PASSED -> demo.outcome().message() == null || demo.outcome().message().isBlank() ? "shown"
                    : "shown: " + demo.outcome().message();
            case NOT_GRADABLE -> "not run on this machine: " + whyNotGraded(demo);
            case FAILED -> "not shown: " + demo.outcome().hint();
        };
    }

    /** Why this machine did not grade the row's test, without the words "not gradable": "it needs 2 CPUs, ...". */
    static String whyNotGraded(Row row) {
        return row.outcome().hint().replaceFirst("^" + NOT_GRADABLE, "");
    }

    int cpus() {
        return cpus;
    }

    static String points(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static double round(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
