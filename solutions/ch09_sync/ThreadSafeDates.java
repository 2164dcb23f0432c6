package ch09_sync;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.TimeZone;

/**
 * Confined, not locked: each thread has a SimpleDateFormat of its own (made on its first call,
 * kept for the next ones), which no other thread ever sees.
 */
public class ThreadSafeDates {

    public static final String PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";

    private static final ThreadLocal<SimpleDateFormat> FORMAT = ThreadLocal.withInitial(() -> {
        // Locale.ROOT: the machine's locale could bring another calendar (a Thai one counts 543 years more).
        SimpleDateFormat format = new SimpleDateFormat(PATTERN, Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC")); // here, for parse as much as for format
        format.setLenient(false); // month 13 is an error, not January next year
        return format;
    });

    public static String format(Date date) {
        Objects.requireNonNull(date, "date");
        return FORMAT.get().format(date);
    }

    public static Date parse(String text) throws ParseException {
        Objects.requireNonNull(text, "text");
        SimpleDateFormat format = FORMAT.get();
        Date date = format.parse(text);
        // parse(String) stops where the pattern ends and reads "7" for "07": only the text the
        // date formats back to is exactly in the pattern.
        if (!format.format(date).equals(text)) {
            throw new ParseException("not a date in the pattern " + PATTERN + ": \"" + text + "\"", 0);
        }
        return date;
    }
}
