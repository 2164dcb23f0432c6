package grader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * A submission as a packaged grader receives it (Gradescope's /autograder/submission,
 * PrairieLearn's /grade/student, one student's folder in batch grading): a few loose files or a
 * whole repository. Each {@code .java} file that declares a chapter's package is an exercise file,
 * wherever it lies, and is put where the kit grades it, {@code exercises/<chapter>/<Name>.java},
 * over the stub. A graded exercise's stub handed in unchanged is named as not done yet; a file
 * identical to another of the kit's own (the kit's tests in a whole repository) is passed over in
 * silence; every other file left out is named in a note, and nothing is read through a symbolic link.
 */
final class Submission {

    /** Larger than any exercise: such a file is left out, not read. */
    static final long MAX_FILE_BYTES = 1 << 20;
    /** Folders that hold no submitted code. */
    private static final Set<String> SKIPPED = Set.of(".git", "target", ".idea", ".vscode", "__MACOSX", "node_modules");

    /** What was taken: {@code graded}, chapter/Name.java to the submitted file; notes for the report. */
    record Collected(Map<String, Path> graded, List<String> notes) {
    }

    private Submission() {
    }

    /**
     * Puts the exercise files of {@code submission} into {@code kit}'s exercises/ (a fresh copy of
     * the kit); {@code graded}: the chapters this assignment grades (the notes name only those),
     * {@code exercises} the exercises (empty: all of them).
     */
    static Collected collect(Path submission, Path kit, List<String> graded, Set<String> exercises) throws IOException {
        List<String> chapters = Chapters.all(kit);
        Set<String> kitFiles = digests(kit);
        Map<String, String> stubs = stubs(kit, graded, exercises);
        Set<String> unchanged = new java.util.TreeSet<>();
        Map<String, List<Path>> candidates = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (Path file : javaFiles(submission, notes)) {
            String shown = submission.relativize(file).toString();
            String name = file.getFileName().toString().replaceFirst("\\.java$", "");
            if (Files.size(file) > MAX_FILE_BYTES) {
                notes.add("ignored " + shown + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB");
                continue;
            }
            String digest = digest(file);
            if (stubs.containsKey(digest)) {
                unchanged.add(stubs.get(digest)); // handed in as handed out: not done yet
                continue;
            }
            if (kitFiles.contains(digest)) {
                continue; // the kit's own file, unchanged
            }
            String declared = Compilation.packageOf(file);
            if (declared == null) {
                notes.add("ignored " + shown + ": a syntax error before its package line hides which chapter it is for;"
                        + " compile it yourself to see the error");
            } else if (!graded.contains(declared)) {
                notes.add("ignored " + shown + ": it declares " + (declared.isEmpty() ? "no package" : "package " + declared)
                        + ", and only " + packages(graded) + " is graded");
            } else if (!SourceVersion.isName(name)) {
                notes.add("ignored " + shown + ": " + name + " is not a Java class name");
            } else {
                candidates.computeIfAbsent(declared + "/" + name + ".java", k -> new ArrayList<>()).add(file);
            }
        }
        Map<String, Path> taken = new LinkedHashMap<>();
        for (Map.Entry<String, List<Path>> c : candidates.entrySet()) {
            List<Path> files = c.getValue();
            files.sort(Comparator.comparing((Path f) -> !f.endsWith(Path.of("exercises").resolve(c.getKey())))
                    .thenComparingInt(Path::getNameCount).thenComparing(Path::toString));
            Path chosen = files.get(0);
            for (Path other : files.subList(1, files.size())) {
                notes.add("ignored " + submission.relativize(other) + ": " + submission.relativize(chosen)
                        + " is graded as " + c.getKey() + " instead");
            }
            Path target = kit.resolve("exercises").resolve(c.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(chosen, target, StandardCopyOption.REPLACE_EXISTING);
            taken.put(c.getKey(), chosen);
            unchanged.remove(c.getKey()); // a changed copy of it was handed in too, and is graded
        }
        List<String> first = new ArrayList<>();
        if (!taken.isEmpty()) {
            first.add("Graded from the submission: " + String.join(", ", taken.entrySet().stream()
                    .map(e -> e.getKey() + (submission.relativize(e.getValue()).toString().equals(e.getKey()) ? ""
                            : " (" + submission.relativize(e.getValue()) + ")")).toList()) + ".");
        }
        if (!unchanged.isEmpty()) {
            first.add((unchanged.size() == 1 ? "Handed in unchanged from its stub, so not done yet: "
                    : "Handed in unchanged from their stubs, so not done yet: ") + String.join(", ", unchanged) + ".");
        }
        if (taken.isEmpty() && unchanged.isEmpty()) {
            first.add("No exercise file in the submission (a .java file declaring " + packages(graded)
                    + "), so every exercise was graded as its stub.");
        }
        notes.addAll(0, first);
        return new Collected(taken, notes);
    }

    /** "package ch03_races", or "a package of ch03_races, ch04_futures". */
    private static String packages(List<String> chapters) {
        return chapters.size() == 1 ? "package " + chapters.get(0) : "a package of " + String.join(", ", chapters);
    }

    /** The digests of the graded exercises' stubs, each to its chapter/Name.java. */
    private static Map<String, String> stubs(Path kit, List<String> chapters, Set<String> exercises) throws IOException {
        Map<String, String> stubs = new LinkedHashMap<>();
        for (String chapter : chapters) {
            Path dir = kit.resolve("exercises").resolve(chapter);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.java$", "");
                    if (exercises.isEmpty() || exercises.contains(name)) {
                        stubs.putIfAbsent(digest(f), chapter + "/" + name + ".java");
                    }
                }
            }
        }
        return stubs;
    }

    /** The .java files under {@code root}, without following links; a link is noted and left out. */
    private static List<Path> javaFiles(Path root, List<String> notes) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && SKIPPED.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().endsWith(".java")) {
                    if (attrs.isSymbolicLink()) {
                        notes.add("ignored " + root.relativize(file) + ": a symbolic link");
                    } else if (attrs.isRegularFile()) {
                        files.add(file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.naturalOrder());
        return files;
    }

    /** The digests of the kit's own .java files. */
    private static Set<String> digests(Path kit) throws IOException {
        Set<String> digests = new HashSet<>();
        for (String folder : List.of("exercises", "src")) {
            Path dir = kit.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path f : walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).toList()) {
                        digests.add(digest(f));
                    }
                }
            }
        }
        return digests;
    }

    private static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
