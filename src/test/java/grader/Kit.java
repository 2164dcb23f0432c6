package grader;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the kit's parts are, as the build tells the grader: the provided code (target/classes),
 * the kit's own test support and grader (target/test-classes), the libraries, and the Java release
 * everything is compiled for. Tests of the chapters and the implementations graded (exercises,
 * solutions, mutants) are compiled by the grader itself, chapter by chapter ({@link Compilation}).
 *
 * @param libraries every library on the grader's class path
 * @param properties system properties the build hands on to the test JVM (e.g. kit.amqp.uri), empty ones left out
 */
record Kit(Path basedir, int release, Path mainClasses, Path kitClasses, List<Path> libraries, Map<String, String> properties) {

    /**
     * The kit as seen from this JVM's class path, which the build made: target/test-classes,
     * target/classes and the jars.
     */
    static Kit fromClasspath(Path basedir, int release, Map<String, String> properties) {
        Path mainClasses = basedir.resolve("target/classes").toAbsolutePath().normalize();
        Path kitClasses = basedir.resolve("target/test-classes").toAbsolutePath().normalize();
        List<Path> libraries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (!entry.isBlank() && !p.equals(mainClasses) && !p.equals(kitClasses)) {
                libraries.add(p);
            }
        }
        Map<String, String> given = new java.util.TreeMap<>();
        properties.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                given.put(k, v);
            }
        });
        return new Kit(basedir.toAbsolutePath().normalize(), release, mainClasses, kitClasses, List.copyOf(libraries),
                Map.copyOf(given));
    }

    List<String> chapters() {
        return Chapters.all(basedir);
    }

    /** What an exercise compiles against: the provided code and the libraries (never the kit's tests). */
    List<Path> exerciseClasspath() {
        List<Path> cp = new ArrayList<>();
        cp.add(mainClasses);
        cp.addAll(libraries);
        return cp;
    }

    /** What the chapters' tests compile against, before the implementation's classes. */
    List<Path> testClasspath() {
        List<Path> cp = new ArrayList<>();
        cp.add(kitClasses);
        cp.add(mainClasses);
        cp.addAll(libraries);
        return cp;
    }

    /** The jcstress jar, whose annotation processor writes the stress tests' harnesses. */
    Path jcstress() {
        return libraries.stream().filter(p -> p.getFileName().toString().startsWith("jcstress-core"))
                .findFirst().orElseThrow(() -> new IllegalStateException("jcstress-core is not on the class path"));
    }

    Path src(String... parts) {
        Path p = basedir;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }

    Path target(String... parts) {
        Path p = basedir.resolve("target");
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }

    static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
