package kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
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
     * Records a work queue seen from both ends: how many tasks waited in {@code queue} over time (sent,
     * not yet begun by any worker), and, per worker, when it worked on a task (from its start to its
     * reply; {@code busy} maps a worker's name to {start, end} pairs). All times are this JVM's
     * {@link System#nanoTime()}, as the test took them.
     */
    public static void workQueue(String queue, List<Long> sentNanos, Map<String, List<long[]>> busy) {
        if (sentNanos.isEmpty()) {
            return;
        }
        long zero = sentNanos.stream().mapToLong(Long::longValue).min().orElseThrow();
        List<long[]> changes = new ArrayList<>(); // {micros since the first send, +1 sent or -1 begun}
        sentNanos.forEach(n -> changes.add(new long[] {(n - zero) / 1_000, 1}));
        Map<String, List<long[]>> lanes = new LinkedHashMap<>();
        busy.forEach((worker, spans) -> {
            List<long[]> lane = new ArrayList<>();
            for (long[] span : spans) {
                changes.add(new long[] {(span[0] - zero) / 1_000, -1});
                if (lane.size() < 200) {
                    lane.add(new long[] {(span[0] - zero) / 1_000, (span[1] - zero) / 1_000});
                }
            }
            if (lanes.size() < 8) {
                lanes.put(worker, lane);
            }
        });
        // At one instant, sends before starts: a task is in the queue before a worker takes it.
        changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> -c[1]));
        List<long[]> steps = steps(changes);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("queue", queue);
        data.put("tasks", sentNanos.size());
        data.put("max", steps.stream().mapToLong(st -> st[1]).max().orElse(0));
        data.put("steps", downsample(steps, 300));
        data.put("workers", lanes);
        record("queue", data, 2);
    }

    /**
     * A step function from its changes ({time, +n or -n}, in the order they happened): the running
     * total after each, never below 0 (a task taken twice, say), one point per instant.
     */
    public static List<long[]> steps(List<long[]> changes) {
        List<long[]> steps = new ArrayList<>();
        long total = 0;
        for (long[] change : changes) {
            total = Math.max(0, total + change[1]);
            if (!steps.isEmpty() && steps.get(steps.size() - 1)[0] == change[0]) {
                steps.get(steps.size() - 1)[1] = total;
            } else {
                steps.add(new long[] {change[0], total});
            }
        }
        return steps;
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
