package grader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A kept hostile submission: files under {@code exercises/} written to raise their own grade (or
 * another's), kept in {@code src/test/hostile/<name>/} with {@code case.properties} saying what
 * it tries and the score it must get (its honest score). The self-check grades each through the
 * same path as {@code ./mvnw test}, on top of the stubs, and checks that it got only that.
 *
 * @param ignored how many of its files the grader must report as ignored (-1: not checked)
 * @param watch seconds to keep watching the report after the grading ended (0: not at all)
 * @param names a phrase its reports must contain, the failure named as it happened (null: not checked)
 * @param cpus the CPUs it is graded as if the machine had (0: this machine's)
 * @param absent a phrase no file the grading kept may contain, a reference solution's (null: not checked)
 * @param again whether it is graded a second time in the same folder, which must get the same score
 * @param listen a port on the machine's loopback that no test JVM may reach (0: none)
 * @param leaves files of the machine's that must not be there after the grading
 * @param copy where another copy of the kit's solutions is put during the grading, outside the kit (null: none)
 */
record Hostile(String name, String what, String chapter, Set<String> exercises, double score, boolean tampered,
        int ignored, int watch, String names, int cpus, String absent, boolean again, int listen, List<Path> leaves,
        Path copy, Path files) {

    static final String DIR = "src/test/hostile";

    static List<Hostile> of(Path basedir, List<String> chapters) throws IOException {
        List<Hostile> cases = new ArrayList<>();
        Path dir = basedir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return cases;
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(d.resolve("case.properties"))) {
                    p.load(in);
                }
                Hostile h = new Hostile(d.getFileName().toString(), p.getProperty("what"), p.getProperty("chapter"),
                        Arrays.stream(p.getProperty("exercises", "").split(",")).map(String::strip).filter(s -> !s.isEmpty())
                                .collect(Collectors.toSet()),
                        honestScore(p), Boolean.parseBoolean(p.getProperty("tampered", "false")),
                        Integer.parseInt(p.getProperty("ignored", "-1")), Integer.parseInt(p.getProperty("watch", "0")),
                        p.getProperty("names"), Integer.parseInt(p.getProperty("cpus", "0")), p.getProperty("absent"),
                        Boolean.parseBoolean(p.getProperty("again", "false")), Integer.parseInt(p.getProperty("listen", "0")),
                        Arrays.stream(p.getProperty("leaves", "").split(",")).map(String::strip).filter(s -> !s.isEmpty())
                                .map(Path::of).toList(), p.getProperty("copy") == null ? null : Path.of(p.getProperty("copy")),
                        d.resolve("exercises"));
                if (chapters.contains(h.chapter())) {
                    cases.add(h);
                }
            }
        }
        return cases;
    }

    /**
     * Its honest score here: {@code score}, or on a machine of one CPU, where a test needing two is
     * not graded and its points go to the exercise's other tests, {@code score.one-cpu} if it says
     * (a case graded as if on a given number of CPUs, {@code cpus}, has one score).
     */
    private static double honestScore(Properties p) {
        String score = p.getProperty("score");
        boolean oneCpu = Runtime.getRuntime().availableProcessors() == 1 && p.getProperty("cpus") == null;
        return Double.parseDouble(oneCpu ? p.getProperty("score.one-cpu", score) : score);
    }

    /** The submission as a student would hand it in: the stubs, with this case's files over them. */
    Path submission(Path basedir, Path into) throws IOException {
        Compilation.clean(into);
        copy(basedir.resolve("exercises"), into);
        copy(files, into);
        return into;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
