package ch09_sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicReference;
import kit.Arguments;
import kit.Blocking;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(27)
class ThreadSafeDatesTest {

    /** The oracle: java.time's formatter is immutable and thread-safe. */
    private static final DateTimeFormatter ORACLE = DateTimeFormatter.ofPattern(ThreadSafeDates.PATTERN)
            .withZone(ZoneOffset.UTC);
    /** From 1970 to 2100: SimpleDateFormat's calendar agrees with java.time's there. */
    private static final long MAX_MILLIS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
    private static final int THREADS = 8;
    private static final Duration ROUND = Duration.ofMillis(100);
    private static final int ROUNDS = 5;
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final String EPOCH = "1970-01-01 00:00:00.000";

    private static String expected(long millis) {
        return ORACLE.format(Instant.ofEpochMilli(millis));
    }

    /**
     * Runs {@code check} with the machine's defaults set to a time zone and a locale the code must
     * not use: UTC-3:30 (a wrong zone shows in the hour) and Thai (whose calendar counts 543 years
     * more); restores them after.
     */
    private static void underOtherDefaults(Measure.Work check) throws Exception {
        TimeZone zone = TimeZone.getDefault();
        Locale locale = Locale.getDefault();
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
        Locale.setDefault(Locale.forLanguageTag("th-TH"));
        try {
            check.run();
        } finally {
            TimeZone.setDefault(zone);
            Locale.setDefault(locale);
            Locale.setDefault(Locale.Category.FORMAT, format);
        }
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("formats and parses in the pattern, in UTC, whatever the machine's time zone and locale")
    void formatsAndParsesInUtc() throws Exception {
        underOtherDefaults(() -> {
            // First on a thread that has not formatted anything: a zone set only in format() is not set yet.
            Date parsed = Blocking.within(BOUND, () -> "parse() did not return", () -> ThreadSafeDates.parse(EPOCH));
            boolean zoneOff = parsed.getTime() == Duration.ofMinutes(210).toMillis(); // 00:00 at UTC-3:30
            assertThat(parsed.getTime()).as("parse(\"%s\") on a thread that had not formatted before, with the"
                    + " machine's zone at UTC-3:30 and its locale Thai, was %s: %s", EPOCH, ORACLE.format(parsed.toInstant()),
                    zoneOff ? "the text is UTC: set the formatter's time zone to UTC, and set the time zone when the"
                            + " formatter is made, for parse as much as for format (not in format())"
                            : "the year is read in another calendar (a Thai one counts 543 years more): make the formatter"
                            + " with a fixed locale, Locale.ROOT, not the machine's").isZero();
            String epoch = Blocking.within(BOUND, () -> "format() did not return", () -> ThreadSafeDates.format(new Date(0)));
            assertThat(epoch).as("format(new Date(0)), the epoch, on a new thread, with the machine's zone at UTC-3:30"
                    + " and its locale Thai: in UTC (set the formatter's time zone to UTC) and in the Gregorian"
                    + " calendar (a Thai calendar counts 543 years more: make the formatter with a fixed locale,"
                    + " Locale.ROOT, not the machine's)").isEqualTo(EPOCH);
            SplittableRandom random = new SplittableRandom();
            long[] dates = {Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli(), random.nextLong(MAX_MILLIS),
                random.nextLong(MAX_MILLIS)};
            for (long millis : dates) {
                String text = ThreadSafeDates.format(new Date(millis));
                assertThat(text).as("format of %s: in the pattern %s, in UTC (the machine's zone here is"
                        + " UTC-3:30: set the formatter's time zone to UTC; its locale is Thai: make the formatter"
                        + " with Locale.ROOT, not the machine's locale)", Instant.ofEpochMilli(millis),
                        ThreadSafeDates.PATTERN).isEqualTo(expected(millis));
                assertThat(ThreadSafeDates.parse(text).getTime()).as("parse(\"%s\"), as UTC", text).isEqualTo(millis);
            }
        });
    }

    @Test
    @Order(2)
    @Points(3)
    @DisplayName("8 threads format and parse different dates at once, and every answer is right")
    void threadsDoNotCorruptEachOther() throws InterruptedException {
        AtomicReference<String> wrong = new AtomicReference<>();
        for (int round = 1; round <= ROUNDS && wrong.get() == null; round++) {
            Threads.race(THREADS, Duration.ofSeconds(10), index -> {
                SplittableRandom random = new SplittableRandom();
                long end = System.nanoTime() + ROUND.toNanos();
                while (System.nanoTime() < end && wrong.get() == null) {
                    long millis = random.nextLong(MAX_MILLIS);
                    String text;
                    try {
                        text = ThreadSafeDates.format(new Date(millis));
                        if (!text.equals(expected(millis))) {
                            wrong.compareAndSet(null, "format(" + expected(millis) + ") gave \"" + text + "\"");
                            return;
                        }
                        long parsed = ThreadSafeDates.parse(text).getTime();
                        if (parsed != millis) {
                            wrong.compareAndSet(null, "parse(\"" + text + "\") gave " + expected(parsed));
                            return;
                        }
                    } catch (ParseException | RuntimeException e) {
                        Arguments.unlessTodo(e);
                        wrong.compareAndSet(null, "format or parse of " + expected(millis) + " threw " + e);
                        return;
                    }
                }
            });
        }
        assertThat(wrong.get()).as("8 threads formatting and parsing at once: %s. Threads that share one"
                + " SimpleDateFormat corrupt each other's dates (it keeps the one it works on in a field): give each"
                + " thread its own, with a ThreadLocal", wrong.get()).isNull();
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("a date that does not exist, text that is no date, or null is refused")
    void badInputIsRefused() {
        for (String text : new String[] {"2024-13-01 00:00:00.000", "2023-02-29 12:00:00.000", "2024-01-01 25:00:00.000"}) {
            assertThat(Arguments.thrownBy(() -> ThreadSafeDates.parse(text))).as("what parse(\"%s\") threw: a"
                    + " ParseException, as that date does not exist (a lenient formatter rolls it over into another"
                    + " date: setLenient(false))", text).isInstanceOf(ParseException.class);
        }
        assertThat(Arguments.thrownBy(() -> ThreadSafeDates.parse("not a date"))).as("what parse(\"not a date\") threw")
                .isInstanceOf(ParseException.class);
        Arguments.assertRefused("parse(null)", NullPointerException.class, "text", () -> ThreadSafeDates.parse(null));
        Arguments.assertRefused("format(null)", NullPointerException.class, "date", () -> ThreadSafeDates.format(null));
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("text that is not exactly in the pattern is refused: more after the date, fields of one digit, a space before")
    void textNotExactlyInThePatternIsRefused() throws Exception {
        for (String text : new String[] {"2024-02-29 23:59:59.999junk", "2024-02-29 23:59:59.999 ", "2024-2-9 01:02:03.004",
            "2024-02-29 1:02:03.004", "2024-02-29 23:59:59.9", " 2024-02-29 23:59:59.999", "02024-02-29 23:59:59.999"}) {
            Throwable thrown = Arguments.thrownBy(() -> ThreadSafeDates.parse(text));
            assertThat(thrown).as("what parse(\"%s\") threw: a ParseException, as that text is not exactly in the"
                    + " pattern %s. setLenient(false) refuses dates that do not exist, not text that is not in the"
                    + " pattern: parse(String) stops where the pattern ends and reads \"9\" for \"09\". Check that the"
                    + " whole text was read, in the pattern's widths (the date must format back to the very text)",
                    text, ThreadSafeDates.PATTERN).isInstanceOf(ParseException.class);
        }
        assertThat(ThreadSafeDates.parse("2024-02-09 01:02:03.004").getTime()).as("parse of the same date written"
                + " exactly in the pattern").isEqualTo(Instant.parse("2024-02-09T01:02:03.004Z").toEpochMilli());
    }
}
