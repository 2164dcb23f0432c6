package ch09_sync;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Objects;
import java.util.TimeZone;

/**
 * Confined, not locked: each thread has a SimpleDateFormat of its own (made on its first call,
 * kept for the next ones), which no other thread ever sees.
 */
public class ThreadSafeDates {

    public static final String PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";

    private static final ThreadLocal<SimpleDateFormat> FORMAT = ThreadLocal.withInitial(() -> {
        SimpleDateFormat format = new SimpleDateFormat(PATTERN);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        format.setLenient(false); // month 13 is an error, not January next year
        return format;
    });

    public static String format(Date date) {
        Objects.requireNonNull(date, "date");
        return FORMAT.get().format(date);
    }

    public static Date parse(String text) throws ParseException {
        Objects.requireNonNull(text, "text");
        return FORMAT.get().parse(text);
    }
}
