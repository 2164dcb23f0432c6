package grader;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles what is graded, chapter by chapter, so that a file that does not compile costs its own
 * exercise only: an implementation ({@code exercises/}, {@code solutions/}, a mutant) against the
 * provided code, then the chapter's tests against that implementation. A file with errors is left
 * out and the rest compiled again, until what remains compiles; each file left out keeps the
 * compiler's message. Results are kept per chapter under target/graded/<label> and reused while
 * nothing they were made from changed.
 *
 * <p>Only {@code <root>/<chapter>/<Name>.java} declaring {@code package <chapter>;} is compiled,
 * and never a file named like a class the kit provides or a test: anything else is reported as
 * ignored.
 */
final class Compilation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERRORS_SHOWN = 4;
    /** Beside compiled classes: their {@link #api}, which decides whether what was compiled against them is still good. */
    private static final String API = ".api";

    /** An implementation of one chapter, compiled. {@code problems}: exercise class name to why it did not compile. */
    record Implementation(String chapter, Path classes, Map<String, String> problems, List<String> ignored) {
    }

    /** A chapter's tests, compiled. {@code failed}: test source file name to why it did not compile. */
    record Tests(String chapter, Path classes, Map<String, String> failed) {

        /** What they were compiled from, in one word: another key, other classes. */
        String key() throws IOException {
            return Files.readString(classes.resolve(".key"));
        }
    }

    private final Kit kit;
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    /**
     * One file manager per compiling thread, kept: it reads each library jar's index once, not at
     * every compile (a watch-mode save, each mutant). Directories are listed afresh at each compile.
     */
    private final ThreadLocal<StandardJavaFileManager> fileManagers = ThreadLocal.withInitial(
            () -> javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8));

    Compilation(Kit kit) {
        this.kit = kit;
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + ": the grader needs a JDK");
        }
    }

    /**
     * Compiles {@code root/chapter/*.java} into target/grading/build/{label}/{chapter}/classes.
     *
     * @param before class directories that come before the provided code (a mutant's solution)
     */
    Implementation implementation(String label, Path root, String chapter, List<Path> before) throws IOException {
        List<String> ignored = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        Path dir = root.resolve(chapter);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String why = whyIgnored(file, chapter);
                    if (why != null) {
                        ignored.add(kit.basedir().relativize(file.toAbsolutePath()) + ": " + why);
                    } else if (file.toString().endsWith(".java")) {
                        sources.add(file);
                    }
                }
            }
        }
        List<Path> classpath = new ArrayList<>(before);
        classpath.addAll(kit.exerciseClasspath());
        Path out = graded(label).resolve(chapter).resolve("classes");
        Map<String, String> problems = compile(sources, classpath, out, List.of("-proc:none"));
        Map<String, String> byClass = new LinkedHashMap<>();
        problems.forEach((file, why) -> byClass.put(file.replaceFirst("\\.java$", ""), why));
        return new Implementation(chapter, out, byClass, ignored);
    }

    /** Compiles the chapter's tests against {@code implementation} (class directories, first wins). */
    Tests tests(String label, String chapter, List<Path> implementation) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(kit.src("src", "test", "java", chapter))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        // The kit and the provided code first: a class of the submission never stands in for one of theirs.
        List<Path> classpath = new ArrayList<>(kit.testClasspath());
        classpath.addAll(implementation);
        Path out = graded(label).resolve(chapter).resolve("tests");
        // jcstress writes each stress test's harness and META-INF/TestList with an annotation processor.
        Map<String, String> failed = compile(sources, classpath, out,
                List.of("-proc:full", "-processorpath", kit.jcstress().toString()));
        return new Tests(chapter, out, failed);
    }

    /** Where what is compiled for {@code label} goes: under target/graded, whatever the label. */
    private Path graded(String label) {
        Path base = kit.target("graded").toAbsolutePath().normalize();
        Path dir = base.resolve(label).normalize();
        if (!dir.startsWith(base) || dir.equals(base)) {
            throw new IllegalArgumentException("not a label for compiled classes: " + label);
        }
        return dir;
    }

    /** Files under {@code root} outside every chapter's folder: never compiled, reported as ignored. */
    List<String> strays(Path root, List<String> chapters) throws IOException {
        List<String> strays = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return strays;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = root.relativize(file);
                boolean inChapter = relative.getNameCount() >= 2 && chapters.contains(relative.getName(0).toString());
                if (!inChapter) {
                    strays.add(kit.basedir().relativize(file.toAbsolutePath()) + ": outside the chapters' folders; not compiled");
                }
            }
        }
        return strays;
    }

    /**
     * One list of every stress test in {@code tests}, for the front of a class path: jcstress reads
     * the first {@code META-INF/TestList} it finds, and each chapter's tests have their own.
     */
    Path jcstressIndex(String label, java.util.Collection<Tests> tests) throws IOException {
        Path dir = graded(label).resolve("jcstress-index");
        Path list = dir.resolve("META-INF/TestList");
        StringBuilder all = new StringBuilder();
        for (Tests t : tests) {
            Path one = t.classes().resolve("META-INF/TestList");
            if (Files.exists(one)) {
                String text = Files.readString(one);
                all.append(text).append(text.isEmpty() || text.endsWith("\n") ? "" : "\n");
            }
        }
        if (!Files.exists(list) || !Files.readString(list).contentEquals(all)) {
            Files.createDirectories(list.getParent());
            Files.writeString(list, all);
        }
        return dir;
    }

    /** Why this file of a submission is not compiled, or null if it is. */
    private String whyIgnored(Path file, String chapter) throws IOException {
        String name = file.getFileName().toString();
        if (Files.isDirectory(file)) {
            return name.equals(Approach.DIR) ? null // the other good ways, Markdown for reading (Approach)
                    : "a folder inside a chapter; only the chapter's own .java files are compiled";
        }
        if (!name.endsWith(".java")) {
            return name.equals("README.md") ? null : "not a .java file";
        }
        String simple = name.replaceFirst("\\.java$", "");
        if (Files.exists(kit.mainClasses().resolve(chapter).resolve(simple + ".class"))) {
            return simple + " is provided by the kit (src/main/java/" + chapter + "); yours is not used";
        }
        if (Files.exists(kit.src("src", "test", "java", chapter, name))) {
            return simple + " is a class of the kit's tests; yours is not used";
        }
        String declared = packageOf(file);
        if (declared != null && !chapter.equals(declared)) {
            return "declares " + (declared.isEmpty() ? "no package" : "package " + declared) + ", not " + chapter;
        }
        return null;
    }

    /**
     * The package a source file declares, read by the compiler's own parser ("" for none), or null
     * when a syntax error hides it: then the file is compiled, and the compiler's message says what is wrong.
     */
    static String packageOf(Path file) throws IOException {
        StandardJavaFileManager files = PARSERS.get();
        boolean[] errors = {false};
        JavacTask task = (JavacTask) PARSER.getTask(null, files, d -> errors[0] |= d.getKind() == Diagnostic.Kind.ERROR,
                List.of("-proc:none"), null, files.getJavaFileObjects(file));
        for (CompilationUnitTree unit : task.parse()) {
            String declared = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
            return errors[0] && declared.isEmpty() ? null : declared;
        }
        return errors[0] ? null : "";
    }

    private static final JavaCompiler PARSER = ToolProvider.getSystemJavaCompiler();
    /** {@link #packageOf}'s file managers, one per thread, kept (a file manager is made to serve one task at a time). */
    private static final ThreadLocal<StandardJavaFileManager> PARSERS = ThreadLocal.withInitial(
            () -> PARSER.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8));

    /**
     * Compiles {@code sources} into {@code out} (emptied first), leaving out files with errors until
     * the rest compiles. Returns each file left out (by file name) with the compiler's message.
     * Reuses {@code out} when nothing it was made from changed.
     */
    private Map<String, String> compile(List<Path> sources, List<Path> classpath, Path out, List<String> extra)
            throws IOException {
        List<String> options = new ArrayList<>(List.of("--release", String.valueOf(kit.release()), "-encoding", "UTF-8",
                "-g", "-nowarn", "-implicit:none", "-Xlint:none", "-XDsuppressNotes"));
        options.addAll(extra);
        String key = key(sources, classpath, options);
        Path keyFile = out.resolve(".key");
        Path problemsFile = out.resolve(".problems.json");
        if (Files.exists(keyFile) && Files.readString(keyFile).equals(key) && Files.exists(problemsFile)) {
            return JSON.readValue(problemsFile.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
        }
        Map<String, String> problems = new LinkedHashMap<>();
        List<Path> remaining = new ArrayList<>(sources);
        java.util.TreeSet<String> api = new java.util.TreeSet<>();
        while (true) {
            clean(out);
            api.clear();
            if (remaining.isEmpty()) {
                break;
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean ok;
            {
                StandardJavaFileManager files = fileManagers.get();
                List<String> args = new ArrayList<>(options);
                args.addAll(List.of("-classpath", Kit.join(classpath), "-sourcepath", out.resolve(".none").toString(),
                        "-d", out.toString()));
                JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, args, null,
                        files.getJavaFileObjectsFromPaths(remaining));
                task.addTaskListener(new TaskListener() {
                    @Override
                    public void finished(TaskEvent e) {
                        if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getTypeElement() != null) {
                            StringBuilder text = new StringBuilder();
                            api(e.getTypeElement(), text);
                            api.add(text.toString());
                        }
                    }
                });
                ok = task.call();
            }
            if (ok) {
                break;
            }
            Map<Path, List<Diagnostic<? extends JavaFileObject>>> byFile = new LinkedHashMap<>();
            List<Diagnostic<? extends JavaFileObject>> unplaced = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                Path file = d.getSource() == null ? null : Path.of(d.getSource().toUri()).toAbsolutePath().normalize();
                Path known = remaining.stream().filter(p -> p.toAbsolutePath().normalize().equals(file)).findFirst().orElse(null);
                if (known == null) {
                    unplaced.add(d);
                } else {
                    byFile.computeIfAbsent(known, f -> new ArrayList<>()).add(d);
                }
            }
            if (byFile.isEmpty()) {
                // Errors that belong to no file (a broken class path): nothing of this set compiles.
                String why = unplaced.stream().limit(ERRORS_SHOWN).map(d -> d.getMessage(Locale.ROOT))
                        .reduce((a, b) -> a + "\n" + b).orElse("the compiler failed without saying why");
                remaining.forEach(p -> problems.put(p.getFileName().toString(), why));
                remaining.clear();
                continue;
            }
            byFile.forEach((file, errors) -> problems.put(file.getFileName().toString(), describe(file, errors)));
            remaining.removeAll(byFile.keySet());
        }
        Files.createDirectories(out);
        JSON.writeValue(problemsFile.toFile(), problems);
        Files.writeString(out.resolve(API), String.join("", api));
        Files.writeString(keyFile, key);
        return problems;
    }

    /**
     * What code compiled against a class can see of it, in words: each type and member that is not
     * private, with its modifiers, type, annotations and constant value, never a method's body. Code compiled against
     * classes with the same account needs no compiling again when they change.
     */
    private static void api(Element e, StringBuilder out) {
        if (e.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
            return; // no other class compiles against it: a solution's private fields recompile no test
        }
        out.append(e.getKind()).append(' ').append(e.getModifiers()).append(' ').append(e.getAnnotationMirrors()).append(' ')
                .append(e.getSimpleName()).append(' ').append(e.asType());
        if (e instanceof TypeElement t) {
            out.append(" : ").append(t.getSuperclass()).append(' ').append(t.getInterfaces()).append(' ')
                    .append(t.getPermittedSubclasses());
        } else if (e instanceof ExecutableElement m) {
            out.append(" throws ").append(m.getThrownTypes()).append(" default ").append(m.getDefaultValue());
        } else if (e instanceof VariableElement v) {
            out.append(" = ").append(v.getConstantValue());
        }
        out.append('\n');
        for (Element member : e.getEnclosedElements()) {
            api(member, out);
        }
    }

    /** The compiler's errors for one file as a student reads them: file, line, error, the line itself. */
    private static String describe(Path file, List<Diagnostic<? extends JavaFileObject>> errors) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            lines = List.of();
        }
        StringBuilder out = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : errors.subList(0, Math.min(ERRORS_SHOWN, errors.size()))) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(file.getFileName()).append(':').append(d.getLineNumber()).append(": error: ")
                    .append(d.getMessage(Locale.ROOT));
            int line = (int) d.getLineNumber();
            if (line >= 1 && line <= lines.size()) {
                String text = lines.get(line - 1);
                out.append("\n    ").append(text.strip());
                long column = d.getColumnNumber();
                int indent = text.length() - text.stripLeading().length();
                if (column > indent && column <= text.length() + 1) {
                    out.append("\n    ").append(" ".repeat((int) column - 1 - indent)).append('^');
                }
            }
        }
        if (errors.size() > ERRORS_SHOWN) {
            out.append("\n(and ").append(errors.size() - ERRORS_SHOWN).append(" more errors)");
        }
        return out.toString();
    }

    private static String key(List<Path> sources, List<Path> classpath, List<String> options) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join(" ", options).getBytes(StandardCharsets.UTF_8));
            for (Path p : classpath) {
                sha.update(p.toString().getBytes(StandardCharsets.UTF_8));
                // Classes compiled here count by what they show (a change inside a method body recompiles nothing else).
                Path api = p.resolve(API);
                sha.update((Files.isRegularFile(api) ? "api " + Files.readString(api) : stamp(p)).getBytes(StandardCharsets.UTF_8));
            }
            for (Path s : sources) {
                sha.update(s.toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(s));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What identifies a class path entry's content: a jar's size and time, a directory's newest class file. */
    static String stamp(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "missing";
        }
        if (Files.isRegularFile(p)) {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        }
        Set<String> seen = new LinkedHashSet<>();
        long newest = 0;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
                seen.add(p.relativize(f).toString());
            }
        }
        return seen.size() + "/" + seen.hashCode() + "@" + newest;
    }

    /**
     * Removes {@code path}, a folder with everything in it or a file, if it is there. What a
     * submission left in its scratch folder may defeat a walk by path names (a tree deeper than
     * the path limit, folders it may not read): then rm and chmod, which walk by file descriptors.
     */
    static void remove(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        } catch (IOException | UncheckedIOException e) {
            if (File.separatorChar == '/') {
                Sandbox.succeeds("chmod", "-R", "u+rwX", "--", path.toString()); // links are not followed below the top
                Sandbox.succeeds("rm", "-rf", "--one-file-system", "--", path.toString());
            }
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("could not remove " + path, e);
            }
        }
    }

    /**
     * An empty folder at {@code dir}. Where what was there cannot be removed, it is set aside under
     * a name no grading uses: one grading's leftovers never stop the next.
     */
    static void clean(Path dir) throws IOException {
        try {
            remove(dir);
        } catch (IOException e) {
            Files.move(dir, dir.resolveSibling(dir.getFileName() + ".left-" + System.nanoTime()));
        }
        Files.createDirectories(dir);
    }
}
