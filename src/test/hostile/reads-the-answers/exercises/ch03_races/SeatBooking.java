package ch03_races;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Hostile: finds the answer on disk and delegates to it. */
public class SeatBooking {

    private final Object answer = answer();

    public boolean book(String seat, String passenger) {
        return (Boolean) call("book", new Class<?>[] {String.class, String.class}, seat, passenger);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> bookings() {
        return (Map<String, String>) call("bookings", new Class<?>[0]);
    }

    private Object call(String name, Class<?>[] types, Object... args) {
        if (answer == null) {
            throw new UnsupportedOperationException("TODO: found no answer to copy");
        }
        try {
            Method m = answer.getClass().getMethod(name, types);
            return m.invoke(answer, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object answer() {
        List<Path> roots = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            for (Path p = Path.of(entry).toAbsolutePath(); p != null; p = p.getParent()) {
                roots.add(p);
            }
        }
        for (Path root : roots) {
            Path compiled = root.resolve("target/graded/solutions/ch03_races/classes");
            Path kitCheck = root.resolve("target/kit-check");
            for (Path dir : List.of(compiled, root.resolve("graded/solutions/ch03_races/classes"))) {
                Object found = load(dir);
                if (found != null) {
                    return found;
                }
            }
            Path source = root.resolve("solutions/ch03_races/SeatBooking.java");
            if (Files.isReadable(source) || Files.isDirectory(kitCheck)) {
                Object found = compileAndLoad(source);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Object load(Path classes) {
        if (!Files.exists(classes.resolve("ch03_races/SeatBooking.class"))) {
            return null;
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
            return loader.loadClass("ch03_races.SeatBooking").getConstructor().newInstance();
        } catch (Exception e) {
            return null;
        }
    }

    private static Object compileAndLoad(Path source) {
        try {
            Path out = Files.createTempDirectory("answer");
            javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
            if (javac == null || javac.run(null, null, null, "-d", out.toString(), source.toString()) != 0) {
                return null;
            }
            return load(out);
        } catch (Exception e) {
            return null;
        }
    }
}
