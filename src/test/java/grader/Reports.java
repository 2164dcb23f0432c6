package grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The reports of a run, all from one {@link Scoreboard}, into target/grading:
 * <ul>
 * <li>{@code results.json}: Gradescope's autograder results (only its documented fields);</li>
 * <li>{@code prairielearn.json}: PrairieLearn's external-grader results ({@code score} from 0 to 1);</li>
 * <li>{@code summary.md}: a Markdown table for a CI job summary;</li>
 * <li>{@code junit/TEST-<chapter>.xml}: JUnit's XML format for CI tools, one file per chapter.</li>
 * </ul>
 * The JUnit XML is written here, from the grader's own verdicts, rather than by JUnit's listener
 * in the test JVM: that JVM runs the submission's code and decides nothing.
 */
final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    static void write(Scoreboard board, Path dir, String sandbox) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), gradescope(board, sandbox));
        JSON.writeValue(dir.resolve("prairielearn.json").toFile(), prairieLearn(board, sandbox));
        Files.writeString(dir.resolve("summary.md"), markdown(board));
        junit(board, dir.resolve("junit"));
    }

    /** One paragraph for the whole submission: the total, notes, tampering. */
    static String overview(Scoreboard board, String sandbox) {
        StringBuilder out = new StringBuilder("Threadwork: " + Scoreboard.points(board.earned()) + " of "
                + board.possible() + " points.");
        board.tampering().forEach(t -> out.append("\nGrading was tampered with, so this submission scores 0: ").append(t));
        List<Scoreboard.Row> notGraded = board.notGradedRows();
        if (!notGraded.isEmpty()) {
            int needed = notGraded.stream().mapToInt(r -> r.test().cpus()).max().orElseThrow();
            out.append("\nNot graded on this machine (").append(board.cpus()).append(board.cpus() == 1 ? " CPU" : " CPUs")
                    .append("; they need ").append(needed).append("): ").append(notGraded.size())
                    .append(notGraded.size() == 1 ? " test, whose points went" : " tests, whose points went")
                    .append(" to their exercises' other tests. A grader with ").append(needed).append(" CPUs grades them.");
        }
        board.notes().forEach(n -> out.append("\nNote: ").append(n));
        out.append("\nSandbox: ").append(sandbox).append('.');
        return out.toString();
    }

    /** The reports of a run the grader could not finish (its own failure, not the submission's). */
    static void failed(Path dir, String why) throws IOException {
        Files.createDirectories(dir);
        ObjectNode gradescope = JSON.createObjectNode();
        gradescope.put("score", 0);
        gradescope.put("output", why);
        gradescope.putArray("tests");
        JSON.writeValue(dir.resolve("results.json").toFile(), gradescope);
        JSON.writeValue(dir.resolve("prairielearn.json").toFile(), prairieLearnUngradable(why));
        Files.writeString(dir.resolve("summary.md"), "## Threadwork: not graded\n\n" + why + "\n");
    }

    private static String output(Scoreboard.Row row) {
        return switch (row.outcome().status()) {
            case PASSED -> "";
            case FAILED -> row.outcome().message() == null ? "failed" : row.outcome().message();
            case NOT_GRADABLE -> "Not graded on this machine, so neither passed nor failed: " + Scoreboard.whyNotGraded(row)
                    + ". Its points went to the exercise's other tests.";
        };
    }

    /** What a test that did not run here is called on a platform: its title, saying so. */
    private static String notGradedName(Scoreboard.Row row, String what) {
        return row.test().title() + " (" + what + ")";
    }

    /**
     * A test this machine did not run, in Gradescope's terms: no status and no score (Gradescope
     * shows a test that earned its maximum, 0 of 0 too, as passed), a name and an output that say
     * it was not graded.
     */
    private static void notGradedForGradescope(ObjectNode test, Scoreboard.Row row, String what, String output) {
        test.put("name", notGradedName(row, what));
        test.put("output", output);
        test.put("visibility", "visible");
    }

    static ObjectNode gradescope(Scoreboard board, String sandbox) {
        ObjectNode results = JSON.createObjectNode();
        results.put("score", board.earned());
        results.put("execution_time", Math.round(board.seconds()));
        results.put("output", overview(board, sandbox));
        results.put("output_format", "text");
        results.put("test_output_format", "text");
        ArrayNode tests = results.putArray("tests");
        for (Scoreboard.Row row : board.gradedRows()) {
            ObjectNode test = tests.addObject();
            if (row.notGradable()) {
                notGradedForGradescope(test, row, "not graded on this machine", output(row));
                test.put("number", String.valueOf(row.test().number()));
                continue;
            }
            test.put("name", row.test().title());
            test.put("number", String.valueOf(row.test().number()));
            test.put("score", row.score());
            test.put("max_score", row.maxScore());
            test.put("status", row.failed() ? "failed" : "passed");
            test.put("output", output(row));
            test.put("visibility", "visible");
        }
        for (Scoreboard.Row demo : board.demonstrations()) {
            ObjectNode test = tests.addObject();
            if (demo.notGradable()) {
                notGradedForGradescope(test, demo, "demonstration, no points, not run on this machine", Scoreboard.shown(demo));
                continue;
            }
            test.put("name", demo.test().title() + " (demonstration, no points)");
            test.put("score", 0);
            test.put("max_score", 0);
            test.put("status", demo.failed() ? "failed" : "passed");
            test.put("output", Scoreboard.shown(demo));
            test.put("visibility", "visible");
        }
        return results;
    }

    /**
     * PrairieLearn's format. {@code gradable} is false only when the grader itself could not grade
     * (the kit is broken); a submission that does not compile, hangs or was tampered with is
     * graded, with the score it earned.
     */
    static ObjectNode prairieLearn(Scoreboard board, String sandbox) {
        ObjectNode results = JSON.createObjectNode();
        results.put("gradable", true);
        results.put("score", board.fraction()); // a double as precise as JSON carries: PrairieLearn rounds for display only
        results.put("message", overview(board, sandbox));
        ArrayNode tests = results.putArray("tests");
        for (Scoreboard.Row row : board.gradedRows()) {
            ObjectNode test = tests.addObject();
            // pl-external-grader-results shows a test of 0 of 0 points as information, neither right nor wrong.
            test.put("name", row.notGradable() ? notGradedName(row, "not graded on this machine") : row.test().title());
            test.put("points", row.score());
            test.put("max_points", row.maxScore());
            test.put("message", row.passed() ? "passed" : row.notGradable() ? "not graded on this machine: "
                    + Scoreboard.whyNotGraded(row) : row.outcome().hint());
            test.put("output", output(row));
        }
        return results;
    }

    /** PrairieLearn's result when the grader could not grade at all. */
    static ObjectNode prairieLearnUngradable(String why) {
        ObjectNode results = JSON.createObjectNode();
        results.put("gradable", false);
        results.put("message", why);
        return results;
    }

    static String markdown(Scoreboard board) {
        StringBuilder md = new StringBuilder("## Threadwork: " + Scoreboard.points(board.earned()) + " / "
                + board.possible() + " points\n\n");
        board.tampering().forEach(t -> md.append("**Grading was tampered with, score 0:** ").append(cell(t)).append("\n\n"));
        md.append("| chapter | exercise | points | first failure |\n|---|---|---:|---|\n");
        for (Scoreboard.ExerciseScore e : board.exercises()) {
            Scoreboard.Row first = e.firstFailure();
            md.append("| ").append(e.chapter()).append(" | ").append(e.exercise()).append(" | ")
                    .append(Scoreboard.points(e.earned())).append(" / ").append(e.possible()).append(" | ")
                    .append(first == null ? "✅" : "❌ " + cell(first.test().name() + ": " + first.outcome().hint()))
                    .append(" |\n");
        }
        for (Scoreboard.Row row : board.notGradedRows()) {
            md.append("\nNot graded on this machine: ").append(row.test().title()).append(": ")
                    .append(cell(Scoreboard.whyNotGraded(row))).append('\n');
        }
        for (Scoreboard.Row demo : board.demonstrations()) {
            md.append("\nDemonstration (no points): ").append(demo.test().title()).append(": ")
                    .append(cell(Scoreboard.shown(demo))).append('\n');
        }
        board.notes().forEach(n -> md.append("\nNote: ").append(cell(n)).append('\n'));
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static void junit(Scoreboard board, Path dir) throws IOException {
        Compilation.clean(dir);
        Map<String, List<Scoreboard.Row>> byChapter = new LinkedHashMap<>();
        for (Scoreboard.Row row : board.gradedRows()) {
            byChapter.computeIfAbsent(row.test().chapter(), c -> new java.util.ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Scoreboard.Row>> chapter : byChapter.entrySet()) {
            List<Scoreboard.Row> rows = chapter.getValue();
            try (OutputStream file = Files.newOutputStream(dir.resolve("TEST-" + chapter.getKey() + ".xml"))) {
                XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(file, "UTF-8");
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", chapter.getKey());
                xml.writeAttribute("tests", String.valueOf(rows.size()));
                xml.writeAttribute("failures", String.valueOf(rows.stream().filter(Scoreboard.Row::failed).count()));
                xml.writeAttribute("errors", "0");
                xml.writeAttribute("skipped", String.valueOf(rows.stream().filter(Scoreboard.Row::notGradable).count()));
                xml.writeAttribute("time", seconds(rows.stream().mapToDouble(r -> r.outcome().seconds()).sum()));
                for (Scoreboard.Row row : rows) {
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("name", row.test().name() + " [" + Scoreboard.points(row.score()) + "/"
                            + Scoreboard.points(row.maxScore()) + " points]");
                    xml.writeAttribute("classname", row.test().chapter() + "." + row.test().exercise());
                    xml.writeAttribute("time", seconds(row.outcome().seconds()));
                    if (row.failed()) {
                        xml.writeStartElement("failure");
                        xml.writeAttribute("message", row.outcome().hint());
                        xml.writeCharacters(output(row));
                        xml.writeEndElement();
                    } else if (row.notGradable()) {
                        xml.writeStartElement("skipped");
                        xml.writeAttribute("message", row.outcome().hint());
                        xml.writeEndElement();
                    }
                    xml.writeEndElement();
                }
                xml.writeEndElement();
                xml.writeEndDocument();
                xml.close();
            } catch (XMLStreamException e) {
                throw new IOException(e);
            }
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
