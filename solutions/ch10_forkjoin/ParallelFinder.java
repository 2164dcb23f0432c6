package ch10_forkjoin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RecursiveTask;

/**
 * A task per range of lines: a short range is searched in a loop, a long one is halved, the left
 * half forked while this thread searches the right, and the left's matches come first in the
 * result. Tasks only read the list (it must not change meanwhile) and return lists of their own:
 * nothing is shared. invoke() runs the first task in the caller's own fork/join pool, or in the
 * common pool when the caller is not in one.
 */
public class ParallelFinder {

    public static List<String> find(List<String> lines, String term, int threshold) {
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(term, "term");
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
        }
        return new Search(lines, term, threshold, 0, lines.size()).invoke();
    }

    private static final class Search extends RecursiveTask<List<String>> {

        private final List<String> lines;
        private final String term;
        private final int threshold;
        private final int from;
        private final int to;

        Search(List<String> lines, String term, int threshold, int from, int to) {
            this.lines = lines;
            this.term = term;
            this.threshold = threshold;
            this.from = from;
            this.to = to;
        }

        @Override
        protected List<String> compute() {
            if (to - from <= threshold) {
                List<String> found = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    String line = lines.get(i);
                    if (line.contains(term)) {
                        found.add(line);
                    }
                }
                return found;
            }
            int middle = from + (to - from) / 2;
            Search left = new Search(lines, term, threshold, from, middle);
            Search right = new Search(lines, term, threshold, middle, to);
            left.fork();
            List<String> rightFound = right.compute();
            List<String> found = new ArrayList<>(left.join());
            found.addAll(rightFound);
            return found;
        }
    }
}
