package ch07_processes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each call starts its worker JVMs, at most one per number, and gives each a thread of this JVM
 * that feeds it: the feeder takes the next number's index from a shared counter, writes the
 * number, reads the answer and stores it at that index. So a worker stays busy as long as there
 * are numbers, the results keep the order of the numbers, and each slot of the results array is
 * written by one feeder only, read after the feeders are done. A worker whose output ends before
 * its answer has died: that is reported, every other worker is destroyed, and nothing is retried.
 * All workers have exited when map returns, whatever happened.
 */
public class ProcessPool {

    private final int processes;

    public ProcessPool(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be at least 1, was " + processes);
        }
        this.processes = processes;
    }

    public List<WorkResult> map(List<Long> numbers) {
        Objects.requireNonNull(numbers, "numbers");
        List<Long> input = new ArrayList<>(numbers);
        input.forEach(n -> Objects.requireNonNull(n, "numbers contains null"));
        WorkResult[] results = new WorkResult[input.size()];
        int count = Math.min(processes, input.size());
        List<Process> workers = new ArrayList<>();
        ExecutorService feeders = Executors.newFixedThreadPool(Math.max(1, count));
        boolean answered = false;
        try {
            for (int i = 0; i < count; i++) {
                workers.add(new ProcessBuilder(Worker.command()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            AtomicInteger next = new AtomicInteger();
            CompletionService<Void> done = new ExecutorCompletionService<>(feeders);
            for (Process worker : workers) {
                done.submit(() -> feed(worker, input, next, results));
            }
            for (int i = 0; i < workers.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException failed) {
                    throw failed.getCause() instanceof RuntimeException e ? e : new IllegalStateException(failed.getCause());
                }
            }
            answered = true;
            return List.of(results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while the workers computed");
        } finally {
            end(workers, answered);
            feeders.shutdownNow();
            awaitQuietly(feeders); // a feeder of a destroyed worker ends as soon as its output does
        }
    }

    /** Feeds one worker numbers until none is left; returns null, to be a Callable. */
    private static Void feed(Process worker, List<Long> input, AtomicInteger next, WorkResult[] results)
            throws IOException, InterruptedException {
        Writer to = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader from = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        for (int i = next.getAndIncrement(); i < input.size(); i = next.getAndIncrement()) {
            long number = input.get(i);
            String answer;
            try {
                to.write(number + "\n");
                to.flush();
                answer = from.readLine();
            } catch (IOException broken) { // the pipe broke: the worker is gone
                answer = null;
            }
            if (answer == null) {
                worker.waitFor(5, TimeUnit.SECONDS);
                throw new WorkerDiedException(number, worker.isAlive() ? "its output ended"
                        : "it exited with status " + worker.exitValue());
            }
            String[] fields = answer.split(" ");
            results[i] = new WorkResult(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
        }
        return null;
    }

    /**
     * Ends every worker and waits until it has exited: when all answered, by closing its input (it
     * exits at the end of its input); otherwise, by destroying it, as it may be computing still.
     */
    private static void end(List<Process> workers, boolean answered) {
        for (Process worker : workers) {
            try {
                worker.getOutputStream().close();
            } catch (IOException alreadyGone) {
                // it has ended: nothing to close
            }
        }
        for (Process worker : workers) {
            try {
                if (!worker.waitFor(answered ? 5 : 0, TimeUnit.SECONDS)) {
                    worker.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                worker.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitQuietly(ExecutorService feeders) {
        try {
            feeders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
