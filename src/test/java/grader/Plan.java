package grader;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import kit.Demonstration;
import kit.Exercise;
import kit.NeedsCpus;
import kit.Timed;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What will be graded, decided by the grader from the kit's own test classes: each test's exercise,
 * points, name and needs. Compiled test classes are discovered with JUnit in this JVM (loaded, never
 * initialised: no code under test runs here). A test class that did not compile (its exercise did
 * not) is read from its source by the compiler's parser, so that its tests still count, as failed.
 */
final class Plan {

    private Plan() {
    }

    /** The tests of one chapter's compiled test classes, in lesson order. */
    static List<Planned> discover(String chapter, Path testClasses, List<Path> implementation) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(testClasses.toUri().toURL());
            for (Path p : implementation) {
                urls.add(p.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), Plan.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            Launcher launcher = LauncherFactory.create();
            TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClasspathRoots(Set.of(testClasses)))
                    .filters(includeClassNamePatterns("^" + Pattern.quote(chapter) + "\\.[^.$]+Test$"))
                    .build());
            List<Planned> tests = new ArrayList<>();
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier id : plan.getDescendants(root)) {
                    if (id.isTest()) {
                        tests.add(planned(chapter, id));
                    }
                }
            }
            tests.sort(LESSON_ORDER);
            return tests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** Tests ordered as the lesson runs them: by exercise number, exercise, then {@code @Order}. */
    static final Comparator<Planned> LESSON_ORDER = Comparator.comparing(Planned::chapter)
            .thenComparingInt(Planned::number).thenComparing(Planned::exercise).thenComparingInt(Planned::order);

    private static Planned planned(String chapter, TestIdentifier id) {
        MethodSource source = id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .orElseThrow(() -> new IllegalStateException("a test that is not a method: " + id.getUniqueId()));
        Class<?> testClass = source.getJavaClass();
        Method method = source.getJavaMethod();
        Exercise exercise = testClass.getAnnotation(Exercise.class);
        Points points = method.getAnnotation(Points.class);
        NeedsCpus cpus = method.getAnnotation(NeedsCpus.class);
        Order order = method.getAnnotation(Order.class);
        return new Planned(id.getUniqueId(), chapter, exerciseOf(testClass.getSimpleName()),
                exercise == null ? 0 : exercise.value(), id.getDisplayName(), order == null ? Order.DEFAULT : order.value(),
                points == null ? 0 : points.value(), method.isAnnotationPresent(Demonstration.class),
                cpus == null ? 1 : cpus.value(), method.isAnnotationPresent(Timed.class));
    }

    /** The exercise a test class grades: {@code BankTest} grades {@code Bank}. */
    static String exerciseOf(String testClassName) {
        return testClassName.replaceFirst("Test$", "");
    }

    /**
     * The tests of a test class that did not compile, read from its source: the same ids, names and
     * points as discovery gives (the self-check compares the two for every test class).
     */
    static List<Planned> parse(String chapter, Path source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<Planned> tests = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, files, d -> { }, List.of("-proc:none"), null,
                    files.getJavaFileObjects(source));
            for (CompilationUnitTree unit : task.parse()) {
                for (Tree type : unit.getTypeDecls()) {
                    if (!(type instanceof ClassTree cls) || !cls.getSimpleName().toString().endsWith("Test")) {
                        continue;
                    }
                    String className = chapter + "." + cls.getSimpleName();
                    int number = intValue(annotation(cls.getModifiers().getAnnotations(), "Exercise")).orElse(0);
                    for (Tree member : cls.getMembers()) {
                        if (member instanceof MethodTree m && annotation(m.getModifiers().getAnnotations(), "Test") != null
                                && m.getParameters().isEmpty()) {
                            List<? extends AnnotationTree> a = m.getModifiers().getAnnotations();
                            String name = stringValue(annotation(a, "DisplayName"))
                                    .orElse(m.getName() + "()"); // JUnit's name for a method without one
                            tests.add(new Planned("[engine:junit-jupiter]/[class:" + className + "]/[method:" + m.getName() + "()]",
                                    chapter, exerciseOf(cls.getSimpleName().toString()), number, name,
                                    intValue(annotation(a, "Order")).orElse(Order.DEFAULT),
                                    intValue(annotation(a, "Points")).orElse(0), annotation(a, "Demonstration") != null,
                                    intValue(annotation(a, "NeedsCpus")).orElse(1), annotation(a, "Timed") != null));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tests.sort(LESSON_ORDER);
        return tests;
    }

    private static AnnotationTree annotation(List<? extends AnnotationTree> annotations, String simpleName) {
        for (AnnotationTree a : annotations) {
            String type = a.getAnnotationType().toString();
            if (type.equals(simpleName) || type.endsWith("." + simpleName)) {
                return a;
            }
        }
        return null;
    }

    private static Optional<Object> value(AnnotationTree a) {
        if (a == null || a.getArguments().isEmpty()) {
            return Optional.empty();
        }
        ExpressionTree arg = a.getArguments().get(0);
        if (arg instanceof AssignmentTree assignment) {
            arg = assignment.getExpression();
        }
        return arg instanceof LiteralTree literal ? Optional.ofNullable(literal.getValue()) : Optional.empty();
    }

    private static Optional<Integer> intValue(AnnotationTree a) {
        return value(a).filter(Integer.class::isInstance).map(Integer.class::cast);
    }

    private static Optional<String> stringValue(AnnotationTree a) {
        return value(a).filter(String.class::isInstance).map(String.class::cast);
    }
}
