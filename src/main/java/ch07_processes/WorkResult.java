package ch07_processes;

/** One number's sum, and the process id of the worker JVM that computed it. */
public record WorkResult(long number, long sum, long pid) {
}
