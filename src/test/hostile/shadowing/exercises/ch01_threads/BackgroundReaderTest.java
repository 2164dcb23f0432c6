package ch01_threads;

/** Hostile: named like the kit's own test of the exercise, with nothing to test. */
class BackgroundReaderTest {
}
