package ch09_sync;

import java.text.ParseException;
import java.util.Date;

/**
 * Exercise 27: {@code SimpleDateFormat} is not thread-safe (it keeps the date it is working on
 * in a field), so threads that share one corrupt each other's dates. Give each thread its own:
 * thread-local storage. See README.md in this folder.
 *
 * <p>Thread-safe: any number of threads may format and parse at once.
 */
public class ThreadSafeDates {

    /** The format, in UTC: {@code 2024-02-29 23:59:59.999}. */
    public static final String PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";

    /**
     * {@code date} in {@link #PATTERN}, in UTC and the Gregorian calendar, whatever the
     * machine's time zone and locale.
     *
     * @throws NullPointerException if {@code date} is null
     */
    public static String format(Date date) {
        throw new UnsupportedOperationException("TODO: a ThreadLocal<SimpleDateFormat>, one per thread, set to UTC");
    }

    /**
     * The date that {@code text} (in {@link #PATTERN}, UTC) stands for, whatever the machine's
     * time zone and locale. Strict: the whole text, each field with exactly the pattern's number
     * of digits ({@code "2024-2-9 ..."} and {@code "... 23:59:59.999 and more"} are refused), and
     * a date that does not exist (month 13, February 30, hour 25) is refused, not rolled over
     * into another one.
     *
     * @throws ParseException if {@code text} is not a date in that pattern
     * @throws NullPointerException if {@code text} is null
     */
    public static Date parse(String text) throws ParseException {
        throw new UnsupportedOperationException("TODO: the same thread's SimpleDateFormat, not lenient; the whole text, exactly in the pattern");
    }
}
