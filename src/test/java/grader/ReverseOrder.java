package grader;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * The lesson order backwards, for {@code -Dorder=reverse}: test classes from the last exercise to
 * the first, and each class's tests from the highest {@code @Order} to the lowest. No verdict may
 * change when the tests run this way. (An OrderAnnotation, so that JUnit sees the annotations used.)
 */
public final class ReverseOrder extends MethodOrderer.OrderAnnotation implements ClassOrderer {

    @Override
    public void orderMethods(MethodOrdererContext context) {
        context.getMethodDescriptors().sort(Comparator.comparingInt(ReverseOrder::order).reversed());
    }

    @Override
    public void orderClasses(ClassOrdererContext context) {
        new LessonOrder().orderClasses(context);
        java.util.Collections.reverse(context.getClassDescriptors());
    }

    private static int order(MethodDescriptor method) {
        return method.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT);
    }
}
