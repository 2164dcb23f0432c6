package grader;

import java.lang.annotation.Annotation;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/** Test classes in lesson order: by the exercise's catalogue number, then by name. */
public final class LessonOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt(LessonOrder::number)
                .thenComparing(c -> c.getTestClass().getName()));
    }

    /**
     * The class's {@code @Exercise} number. Read by name: in the test JVM each run has its own copy
     * of the kit's classes ({@link Child}), so {@code kit.Exercise.class} here is not the run's.
     */
    static int number(ClassDescriptor c) {
        for (Annotation a : c.getTestClass().getAnnotations()) {
            if (a.annotationType().getName().equals("kit.Exercise")) {
                try {
                    return (Integer) a.annotationType().getMethod("value").invoke(a);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return 0;
    }
}
