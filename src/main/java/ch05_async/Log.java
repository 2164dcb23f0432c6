package ch05_async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What happened when, on a virtual clock: each line is the time in seconds with three decimals,
 * an "s", a space and the message, e.g. {@code "4.000s book: read page 1"}. Not thread-safe: use
 * it from the event loop's thread only.
 */
public final class Log {

    private final Supplier<Duration> clock;
    private final List<String> lines = new ArrayList<>();

    /** A log stamped by {@code clock}, e.g. {@code new Log(loop::now)}. */
    public Log(Supplier<Duration> clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void add(String message) {
        lines.add(line(clock.get(), message));
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** One line as {@link #add} writes it. */
    public static String line(Duration at, String message) {
        return String.format(Locale.ROOT, "%d.%03ds %s", at.toSeconds(), at.toMillisPart(), message);
    }
}
