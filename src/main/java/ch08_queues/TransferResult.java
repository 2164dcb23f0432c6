package ch08_queues;

import java.time.Duration;

/**
 * What the reader of {@code PoisonPill.transfer} saw.
 *
 * @param received how many numbers the reader took before the sentinel (the sentinel not counted)
 * @param sum the sum of those numbers
 * @param elapsed from just before the writer started to the moment the reader took the sentinel
 */
public record TransferResult(long received, long sum, Duration elapsed) {
}
