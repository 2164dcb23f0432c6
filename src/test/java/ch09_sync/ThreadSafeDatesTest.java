package ch09_sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicReference;
import kit.Arguments;
import kit.Exercise;
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

    private static String expected(long millis) {
        return ORACLE.format(Instant.ofEpochMilli(millis));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("formats and parses in the pattern, in UTC whatever the machine's time zone")
    void formatsAndParsesInUtc() throws Exception {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns")); // UTC-3:30: a wrong zone shows in the hour
        try {
            assertThat(ThreadSafeDates.format(new Date(0))).as("format(new Date(0)), the epoch, in UTC though the"
                    + " machine's zone here is UTC-3:30: set the formatter's time zone to UTC")
                    .isEqualTo("1970-01-01 00:00:00.000");
            SplittableRandom random = new SplittableRandom();
            long[] dates = {Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli(), random.nextLong(MAX_MILLIS),
                random.nextLong(MAX_MILLIS)};
            for (long millis : dates) {
                String text = ThreadSafeDates.format(new Date(millis));
                assertThat(text).as("format of %s: in the pattern %s, in UTC (the machine's zone here is"
                        + " UTC-3:30: set the formatter's time zone to UTC)", Instant.ofEpochMilli(millis),
                        ThreadSafeDates.PATTERN).isEqualTo(expected(millis));
                assertThat(ThreadSafeDates.parse(text).getTime()).as("parse(\"%s\"), as UTC", text).isEqualTo(millis);
            }
        } finally {
            TimeZone.setDefault(before);
        }
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
}
