package grader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * What the packaged graders hand down to the grading of one submission (a picocli mixin of
 * {@link Autograder}, {@link FreshGrading} and {@link GradeAll}): what to grade, and how the test
 * JVM runs. {@link #arguments()} gives them back as options for the next JVM.
 */
final class GradingOptions {

    @Option(names = "--release", required = true, description = "the Java release everything is compiled for")
    int release;

    @Option(names = "--chapter", defaultValue = "", description = "the chapters graded (default: all)")
    String chapter = "";

    @Option(names = "--exercise", defaultValue = "", description = "the exercises graded (default: all)")
    String exercise = "";

    @Option(names = "--sandbox", defaultValue = "auto", description = "auto, or off to run the test JVM as you without namespaces")
    String sandbox = "auto";

    @Option(names = "--property", description = "a system property for the test JVM, key=value")
    Map<String, String> properties = new HashMap<>();

    @Option(names = "--hide", description = "a folder the test JVM must not see (the other submissions, the kit's answers)")
    List<Path> hide = new ArrayList<>();

    /** The exercises graded, as a set (empty: all of them). */
    Set<String> exercises() {
        return Arrays.stream(exercise.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** These options as command-line arguments. */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--release=" + release, "--chapter=" + chapter, "--exercise=" + exercise,
                "--sandbox=" + sandbox));
        hide.forEach(h -> args.add("--hide=" + h));
        properties.forEach((k, v) -> args.add("--property=" + k + "=" + v));
        return args;
    }
}
