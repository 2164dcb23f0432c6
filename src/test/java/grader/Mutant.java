package grader;

import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A wrong solution that real students write, kept as a small patch against the reference
 * solution it breaks: {@code src/test/mutants/<chapter>/<name>.patch}, a unified diff after two
 * header lines,
 * <pre>
 * Mutant: what it gets wrong, in one sentence
 * Names: a phrase the failure message that catches it must contain (any case)
 * Killed by: the method name of the graded test that catches it
 * </pre>
 * The self-check runs the named test first and the others only if it passes, so that a mutant
 * costs the time of the test that catches it, not of every test before that one.
 * A patch that no longer applies to its solution is itself a finding of the self-check.
 *
 * @param sources the patched files, by class name (the exercises this mutant replaces)
 * @param problem why it could not be built from its patch, or null
 */
record Mutant(String chapter, String name, String mistake, String names, String killer, Map<String, String> sources,
        String problem) {

    static final String DIR = "src/test/mutants";

    /** Every mutant of these chapters, in name order. */
    static List<Mutant> of(Path basedir, List<String> chapters) throws IOException {
        List<Mutant> mutants = new ArrayList<>();
        for (String chapter : chapters) {
            Path dir = basedir.resolve(DIR).resolve(chapter);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> patches = Files.list(dir)) {
                for (Path patch : patches.filter(p -> p.toString().endsWith(".patch")).sorted().toList()) {
                    mutants.add(read(basedir, chapter, patch));
                }
            }
        }
        return mutants;
    }

    private static Mutant read(Path basedir, String chapter, Path patch) throws IOException {
        String name = patch.getFileName().toString().replaceFirst("\\.patch$", "");
        String text = Files.readString(patch);
        String mistake = header(text, "Mutant");
        String names = header(text, "Names");
        String killer = header(text, "Killed by");
        Map<String, String> sources = new LinkedHashMap<>();
        try {
            UnifiedDiff diff = UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            if (diff.getFiles().isEmpty()) {
                return new Mutant(chapter, name, mistake, names, killer, sources, "the patch changes no file");
            }
            for (UnifiedDiffFile file : diff.getFiles()) {
                Path solution = basedir.resolve(file.getFromFile().replaceFirst("^a/", ""));
                if (!solution.startsWith(basedir.resolve("solutions").resolve(chapter)) || !Files.isRegularFile(solution)) {
                    return new Mutant(chapter, name, mistake, names, killer, sources, "the patch names " + file.getFromFile()
                            + ", not a solution file of " + chapter);
                }
                List<String> patched = file.getPatch().applyTo(Files.readAllLines(solution));
                sources.put(solution.getFileName().toString().replaceFirst("\\.java$", ""), String.join("\n", patched) + "\n");
            }
        } catch (PatchFailedException | RuntimeException e) {
            return new Mutant(chapter, name, mistake, names, killer, sources,
                    "the patch no longer applies to the solution (" + e.getMessage() + "): redo it on the solution as it is now");
        }
        String problem = mistake == null ? "the patch has no 'Mutant:' line"
                : killer == null ? "the patch has no 'Killed by:' line (the method name of the test that catches it)" : null;
        return new Mutant(chapter, name, mistake, names, killer, sources, problem);
    }

    private static String header(String text, String key) {
        for (String line : text.lines().toList()) {
            if (line.startsWith("--- ")) {
                break;
            }
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return null;
    }

    /** Whether {@code testId} (JUnit's unique id) is the test its 'Killed by:' line names. */
    boolean killedBy(String testId) {
        return testId.contains("[method:" + killer + "(");
    }

    /** The exercises (class names) this mutant replaces. */
    List<String> exercises() {
        return List.copyOf(sources.keySet());
    }
}
