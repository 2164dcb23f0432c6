package kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a test measured, kept for the pictures of the report page: the kit's probes record here
 * what they already measure (requests in flight, thread states, jcstress's outcomes, a deadlock,
 * a speedup's rounds), and {@link KitExtension} publishes it after the test as report entries
 * ({@link #ENTRY}), one JSON object each. A picture shows what a verdict was made from; nothing
 * here decides one. Bounded twice: here (a few per test, each small), and again by the grader,
 * which trusts nothing the test JVM writes.
 */
public final class Observations {

    /** The report entry of one observation. */
    public static final String ENTRY = "threadwork.observed";
    /** At most this many observations per test, the latest kept. */
    public static final int MAX_PER_TEST = 8;
    /** At most this many characters of JSON per observation; a larger one is dropped. */
    public static final int MAX_CHARS = 24_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map<String, Object>> CURRENT = new ArrayList<>();

    private Observations() {
    }

    /**
     * Records an observation of {@code kind} for the test running now, keeping at most {@code keep}
     * of that kind (the latest): a probe that measures round after round keeps its last rounds.
     */
    public static void record(String kind, Map<String, Object> data, int keep) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("kind", kind);
        entry.putAll(data);
        synchronized (CURRENT) {
            CURRENT.add(entry);
            int same = (int) CURRENT.stream().filter(e -> kind.equals(e.get("kind"))).count();
            for (Iterator<Map<String, Object>> it = CURRENT.iterator(); it.hasNext() && same > keep; ) {
                if (kind.equals(it.next().get("kind"))) {
                    it.remove();
                    same--;
                }
            }
            while (CURRENT.size() > MAX_PER_TEST) {
                CURRENT.remove(0);
            }
        }
    }

    /** Forgets what an earlier test recorded. */
    static void clear() {
        synchronized (CURRENT) {
            CURRENT.clear();
        }
    }

    /** The observations of the test that just ended, as JSON, and forgets them. */
    static List<String> drain() {
        List<Map<String, Object>> all;
        synchronized (CURRENT) {
            all = List.copyOf(CURRENT);
            CURRENT.clear();
        }
        List<String> json = new ArrayList<>();
        for (Map<String, Object> entry : all) {
            try {
                String text = JSON.writeValueAsString(entry);
                if (text.length() <= MAX_CHARS) {
                    json.add(text);
                }
            } catch (JsonProcessingException e) {
                // a picture lost, never a grade
            }
        }
        return json;
    }

    /**
     * At most {@code max} points of a step function (x ascending), keeping each bucket's highest
     * value so that a peak is never drawn lower than it was.
     */
    public static List<long[]> downsample(List<long[]> points, int max) {
        if (points.size() <= max) {
            return points;
        }
        List<long[]> out = new ArrayList<>();
        double per = (double) points.size() / max;
        for (int b = 0; b < max; b++) {
            int from = (int) (b * per);
            int to = Math.min(points.size(), (int) ((b + 1) * per));
            long[] best = points.get(from);
            for (int i = from; i < to; i++) {
                if (points.get(i)[1] > best[1]) {
                    best = new long[] {points.get(from)[0], points.get(i)[1]};
                }
            }
            out.add(new long[] {points.get(from)[0], best[1]});
        }
        return out;
    }
}
