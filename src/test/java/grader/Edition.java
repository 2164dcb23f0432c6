package grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw -q verify -Pedition}: the student edition, target/edition/threadwork/ and its zip.
 * What goes in is listed here (the stubs and lessons, the provided code, the tests, the kit and
 * its grader, the build and its wrapper, the rubric, the GitHub Actions workflow); everything else
 * stays out, so that nothing added to the kit later (an answer, a note for instructors) reaches
 * students unless it is added here. The edition's README.md is the kit's title and introduction
 * and its blocks between {@value #STUDENTS} and {@value #STUDENTS_END} lines; a block between
 * {@value #EDITION_ONLY} and {@value #EDITION_ONLY_END} lines, a comment in the kit, is shown in
 * the edition only. Its pom.xml is the kit's without the blocks between {@value #KIT_ONLY} and
 * {@value #KIT_ONLY_END} lines (the instructors' profiles).
 */
@Command(name = "edition", mixinStandardHelpOptions = true)
public final class Edition implements Callable<Integer> {

    static final String NAME = "threadwork";
    static final String STUDENTS = "<!-- students -->";
    static final String STUDENTS_END = "<!-- /students -->";
    static final String KIT_ONLY = "<!-- kit-only";
    static final String KIT_ONLY_END = "<!-- /kit-only -->";
    static final String EDITION_ONLY = "<!-- edition-only";
    static final String EDITION_ONLY_END = "edition-only -->";

    /**
     * Folders students get whole (less build output). Each chapter's approaches/ ({@link Approach})
     * holds whole answers: in an edition for after the deadline only ({@code --with-approaches}),
     * otherwise each file says so ({@link Approach#WITHHELD}).
     */
    static final List<String> FOLDERS = List.of("exercises", "src/main", "src/test/java", "src/test/resources", ".mvn");
    /** Files students get as they are. */
    static final List<String> FILES = List.of("mvnw", "mvnw.cmd", ".gitignore", ".gitattributes", "GRADING.md");
    /** The workflow that grades a student's pushes, and where it goes in the edition. */
    static final String WORKFLOW = "graders/github/threadwork.yml";
    static final String WORKFLOW_IN_EDITION = ".github/workflows/threadwork.yml";

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--with-approaches", arity = "1", description = "the other good ways too: whole answers, for after the deadline")
    boolean withApproaches;

    @Option(names = "--out", description = "where the edition and its zip go (default: target/edition)")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Edition()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path dir = (out != null ? out : basedir.resolve("target/edition")).toAbsolutePath().normalize();
        Path edition = dir.resolve(NAME);
        build(basedir, edition, withApproaches);
        Path zip = dir.resolve(NAME + ".zip");
        zip(edition, zip, NAME);
        System.out.println("Student edition: " + basedir.toAbsolutePath().normalize().relativize(edition) + "/ ("
                + count(edition) + " files) and " + basedir.toAbsolutePath().normalize().relativize(zip)
                + ": the stubs, lessons, tests, kit and build, without solutions, mutants, hostile cases or notes for"
                + " instructors" + (withApproaches ? "; with the approaches (whole answers: for after the deadline)."
                : ", and without the approaches (-Dapproaches=true adds them, for after the deadline)."));
        return 0;
    }

    /** Writes the edition of the kit at {@code basedir} into {@code into} (emptied first). */
    static void build(Path basedir, Path into) throws IOException {
        build(basedir, into, false);
    }

    static void build(Path basedir, Path into, boolean withApproaches) throws IOException {
        Compilation.clean(into);
        for (String folder : FOLDERS) {
            copyTree(basedir.resolve(folder), into.resolve(folder), Edition::buildOutput);
        }
        if (!withApproaches) {
            withholdApproaches(into);
        }
        for (String file : FILES) {
            copyFile(basedir.resolve(file), into.resolve(file));
        }
        Files.writeString(into.resolve("README.md"), readme(Files.readString(basedir.resolve("README.md"))));
        Files.writeString(into.resolve("pom.xml"), withoutKitOnly(Files.readString(basedir.resolve("pom.xml"))));
        copyFile(basedir.resolve(WORKFLOW), into.resolve(WORKFLOW_IN_EDITION));
    }

    /** Each approaches file of the edition in {@code into} replaced by a line saying why it is not there. */
    private static void withholdApproaches(Path into) throws IOException {
        try (Stream<Path> walk = Files.walk(into.resolve("exercises"))) {
            for (Path file : walk.filter(p -> p.getParent().getFileName().toString().equals(Approach.DIR)
                    && p.toString().endsWith(".md")).toList()) {
                String exercise = file.getFileName().toString().replaceFirst("\\.md$", "");
                Files.writeString(file, "# Other good ways to write " + exercise + "\n\n" + Approach.WITHHELD + "\n");
            }
        }
    }

    /**
     * The students' README: the kit's title and introduction (up to the first students block), then
     * each students block, with its edition-only comments unwrapped.
     *
     * @throws IllegalArgumentException when a block is not closed, or closed without being opened
     */
    static String readme(String text) {
        StringBuilder out = new StringBuilder();
        String open = null;
        boolean introduction = true;
        int line = 0;
        for (String l : text.split("\n", -1)) {
            line++;
            String s = l.strip();
            String marker = s.equals(STUDENTS) ? "students" : s.equals(EDITION_ONLY) ? "edition-only" : null;
            String end = s.equals(STUDENTS_END) ? "students" : s.equals(EDITION_ONLY_END) ? "edition-only" : null;
            if (marker != null) {
                if (marker.equals(open) || marker.equals("edition-only") && !"students".equals(open)) {
                    throw new IllegalArgumentException("README.md:" + line + ": an " + marker + " block must be inside a"
                            + " students block, and blocks do not nest otherwise");
                }
                open = marker.equals("students") ? "students" : "edition-only";
                introduction = false;
            } else if (end != null) {
                if (!end.equals(open)) {
                    throw new IllegalArgumentException("README.md:" + line + ": the end of a " + end + " block that is not open");
                }
                open = end.equals("edition-only") ? "students" : null;
                out.append('\n'); // blocks apart by a blank line, as they stood in the kit
            } else if (introduction || open != null) {
                out.append(l).append('\n');
            }
        }
        if (open != null) {
            throw new IllegalArgumentException("README.md: a " + open + " block is not closed");
        }
        return out.toString().replaceAll("\n{3,}", "\n\n").strip() + "\n";
    }

    /**
     * The students' pom.xml: the kit's without its kit-only blocks.
     *
     * @throws IllegalArgumentException when a block is not closed, or closed without being opened
     */
    static String withoutKitOnly(String text) {
        StringBuilder out = new StringBuilder();
        boolean open = false;
        int line = 0;
        for (String l : text.split("\n", -1)) {
            line++;
            String s = l.strip();
            if (s.startsWith(KIT_ONLY) || s.equals(KIT_ONLY_END)) {
                if (open == s.startsWith(KIT_ONLY)) {
                    throw new IllegalArgumentException("pom.xml:" + line + ": kit-only blocks do not nest, and each one ends");
                }
                open = !open;
            } else if (!open) {
                out.append(l).append('\n');
            }
        }
        if (open) {
            throw new IllegalArgumentException("pom.xml: a kit-only block is not closed");
        }
        return out.substring(0, out.length() - 1); // split() gave one line more than there were newlines
    }

    /** Whether {@code relative} is build output: under a target/ folder, or a class file. */
    static boolean buildOutput(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("target")) {
                return true;
            }
        }
        return relative.toString().endsWith(".class");
    }

    /** Copies a folder, or a file, leaving out symbolic links and what {@code leaveOut} says of a path relative to {@code from}. */
    static void copyTree(Path from, Path to, Predicate<Path> leaveOut) throws IOException {
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("there is no " + from);
        }
        // A folder left out is not entered: what a grading left in it (a tree too deep to walk) is never read.
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(dir);
                if (!relative.toString().isEmpty() && leaveOut.test(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(relative.toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(file);
                if (attrs.isRegularFile() && !leaveOut.test(relative)) { // no links; a pipe would block the copy
                    copyFile(file, to.resolve(relative.toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void copyFile(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    /**
     * Zips {@code dir} under the folder name {@code top} ("" for the zip's root), keeping each file's
     * permissions (the wrapper and scripts stay executable once unzipped).
     */
    static void zip(Path dir, Path zip, String top) throws IOException {
        Files.createDirectories(zip.getParent());
        Files.deleteIfExists(zip);
        Map<String, Object> env = Map.of("create", "true", "enablePosixFileAttributes", "true");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), env);
                Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                String relative = dir.relativize(p).toString();
                if (relative.isEmpty() && top.isEmpty()) {
                    continue; // the zip's root
                }
                Path target = top.isEmpty() ? fs.getPath("/" + relative) : fs.getPath("/" + top, relative);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
            }
        }
    }

    static long count(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under {@code dir}, relative to it, in order. */
    static List<Path> files(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(p -> files.add(dir.relativize(p)));
        }
        return files;
    }
}
