package grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of a graded run, one JSON object per line, appended and flushed as tests start and
 * finish. It is written by the JVM that runs the tests and read by the one that started it, so
 * that what happened survives that JVM calling System.exit, running out of memory or hanging.
 */
public final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public Journal(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void plan(List<Planned> tests) {
        ObjectNode line = JSON.createObjectNode().put("event", "plan");
        line.set("tests", JSON.valueToTree(tests));
        append(line);
    }

    public void started(String id) {
        append(JSON.createObjectNode().put("event", "started").put("id", id));
    }

    public void finished(Outcome outcome) {
        ObjectNode line = JSON.valueToTree(outcome);
        line.put("event", "finished");
        append(line);
    }

    /** The test JVM got to the end of what it was asked to run. */
    public void done() {
        append(JSON.createObjectNode().put("event", "done"));
    }

    private synchronized void append(ObjectNode line) {
        try {
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the journal says so far. */
    public State read() {
        Map<String, Planned> plan = new LinkedHashMap<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        String running = null;
        boolean done = false;
        if (Files.exists(file)) {
            try {
                for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (text.isBlank()) {
                        continue;
                    }
                    JsonNode line = JSON.readTree(text);
                    switch (line.path("event").asText()) {
                        case "plan" -> {
                            for (JsonNode test : line.path("tests")) {
                                Planned planned = JSON.treeToValue(test, Planned.class);
                                plan.putIfAbsent(planned.id(), planned);
                            }
                        }
                        case "started" -> running = line.path("id").asText();
                        case "finished" -> {
                            Outcome outcome = new Outcome(line.path("id").asText(),
                                    Outcome.Status.valueOf(line.path("status").asText()),
                                    line.path("message").isNull() ? null : line.path("message").asText(),
                                    line.path("seconds").asDouble());
                            outcomes.putIfAbsent(outcome.id(), outcome);
                            if (outcome.id().equals(running)) {
                                running = null;
                            }
                        }
                        case "done" -> done = true;
                        default -> { }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal " + file, e);
            }
        }
        return new State(List.copyOf(plan.values()), outcomes, running, done);
    }

    /** The plan, the outcomes so far, the test that started and has not finished, and whether the run got to its end. */
    public record State(List<Planned> plan, Map<String, Outcome> outcomes, String running, boolean done) {
    }
}
