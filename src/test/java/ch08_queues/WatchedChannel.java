package ch08_queues;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kit.Threads;

/**
 * The channel the tests hand to {@code PoisonPill.transfer}: a queue that records who put and
 * who took what, in order, notices a reader asking while it is empty, and can hold the writer
 * at one number (a writer that pauses) until the test releases it.
 */
final class WatchedChannel extends LinkedBlockingQueue<Long> {

    /** One put or take: the value and the thread that moved it. */
    record Move(long value, Thread thread) {
    }

    private final List<Move> puts = new ArrayList<>();
    private final List<Move> takes = new ArrayList<>();
    private final AtomicInteger emptyAsks = new AtomicInteger();
    /**
     * Who is held where: nobody; the writer before it puts one number; the writer once its
     * sentinel is in; the reader's thread, kept from ending once it has taken the sentinel.
     */
    private enum Hold { NEVER, BEFORE_NUMBER, AFTER_SENTINEL, READER_EXIT }

    private final Hold hold;
    /** The number to hold before, or how many numbers there are (all else is the sentinel). */
    private final long at;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Threads.ExitHold readerExit = new Threads.ExitHold();

    private WatchedChannel(Hold hold, long at) {
        this.hold = hold;
        this.at = at;
    }

    /** A channel that never holds the writer, whatever its sentinel. */
    WatchedChannel() {
        this(Hold.NEVER, 0);
    }

    /** A channel whose writer, about to put the number {@code holdAt}, waits until {@link #release()}. */
    static WatchedChannel holdingBefore(long holdAt) {
        return new WatchedChannel(Hold.BEFORE_NUMBER, holdAt);
    }

    /**
     * A channel for {@code count} numbers whose writer, once its sentinel (any value not one of the
     * numbers) is in the channel, is held in put() until {@link #release()}: the reader can end,
     * the writer cannot yet.
     */
    static WatchedChannel holdingAfterSentinel(long count) {
        return new WatchedChannel(Hold.AFTER_SENTINEL, count);
    }

    /**
     * A channel for {@code count} numbers whose reader's thread, once it has taken the sentinel,
     * is kept from ending until {@link #release()}: the caller must wait for it.
     */
    static WatchedChannel holdingReaderAfterSentinel(long count) {
        return new WatchedChannel(Hold.READER_EXIT, count);
    }

    private boolean isSentinel(Long value) {
        return value != null && (value < 0 || value >= at);
    }

    private void putting(Long value) {
        if (hold == Hold.BEFORE_NUMBER && value != null && value == at) {
            holdWriter();
        }
    }

    private void afterPut(Long value) {
        if (hold == Hold.AFTER_SENTINEL && isSentinel(value)) {
            holdWriter();
        }
    }

    private void holdWriter() {
        held.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void recordPut(Long value) {
        synchronized (puts) {
            puts.add(new Move(value, Thread.currentThread()));
        }
    }

    private Long recordTake(Long value) {
        if (hold == Hold.READER_EXIT && isSentinel(value)) {
            readerExit.hold(Thread.currentThread());
            held.countDown();
        }
        if (value != null) {
            synchronized (takes) {
                takes.add(new Move(value, Thread.currentThread()));
            }
        }
        return value;
    }

    @Override
    public void put(Long value) throws InterruptedException {
        putting(value);
        super.put(value);
        recordPut(value);
        afterPut(value);
    }

    @Override
    public boolean offer(Long value) {
        putting(value);
        boolean added = super.offer(value);
        if (added) {
            recordPut(value);
            afterPut(value);
        }
        return added;
    }

    @Override
    public boolean offer(Long value, long timeout, TimeUnit unit) throws InterruptedException {
        putting(value);
        boolean added = super.offer(value, timeout, unit);
        if (added) {
            recordPut(value);
            afterPut(value);
        }
        return added;
    }

    @Override
    public Long take() throws InterruptedException {
        if (isEmpty()) {
            emptyAsks.incrementAndGet();
        }
        return recordTake(super.take());
    }

    @Override
    public Long poll() {
        Long value = super.poll();
        if (value == null) {
            emptyAsks.incrementAndGet();
        }
        return recordTake(value);
    }

    @Override
    public Long poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (isEmpty()) {
            emptyAsks.incrementAndGet();
        }
        return recordTake(super.poll(timeout, unit));
    }

    @Override
    public int drainTo(Collection<? super Long> sink) {
        return drainTo(sink, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Long> sink, int max) {
        List<Long> drained = new ArrayList<>();
        int n = super.drainTo(drained, max);
        if (n == 0) {
            emptyAsks.incrementAndGet();
        }
        drained.forEach(this::recordTake);
        sink.addAll(drained);
        return n;
    }

    /** Whether the writer, or the reader, is held (or was, before {@link #release()}). */
    boolean isHeld() {
        return held.getCount() == 0;
    }

    void release() {
        release.countDown();
        readerExit.close();
    }

    /** Whether the reader's exit is really held (a virtual reader ends without a monitor to hold it by). */
    boolean readerExitHeld() {
        return readerExit.allHeld();
    }

    /** How often a reader asked for a value while the channel was empty. */
    int emptyAsks() {
        return emptyAsks.get();
    }

    List<Move> puts() {
        synchronized (puts) {
            return List.copyOf(puts);
        }
    }

    List<Move> takes() {
        synchronized (takes) {
            return List.copyOf(takes);
        }
    }

    /** The threads that took values, in the order they first did. */
    Set<Thread> readers() {
        Set<Thread> readers = new LinkedHashSet<>();
        takes().forEach(move -> readers.add(move.thread()));
        return readers;
    }
}
