package ch03_races;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bank account. Not thread-safe: {@link #deposit} and {@link #withdraw} are plain
 * read-modify-write steps on {@code balance} with no checks, so whoever moves money between
 * accounts must hold a lock on each account it touches. Each account has a lock of its own,
 * {@link #lock()}, for exactly that. The id gives accounts an order, useful for locking several
 * of them without deadlock.
 */
public final class Account {

    private final long id;
    private final Object lock = new Object();
    private long balance; // guarded by lock(), by whoever calls deposit or withdraw

    // For the tests: the lowest balance ever written, recorded by the writing thread itself.
    private final AtomicLong lowest;

    public Account(long id, long initialBalance) {
        if (initialBalance < 0) {
            throw new IllegalArgumentException("initialBalance must not be negative, was " + initialBalance);
        }
        this.id = id;
        this.balance = initialBalance;
        this.lowest = new AtomicLong(initialBalance);
    }

    public long id() {
        return id;
    }

    /** The monitor that guards this account's balance: {@code synchronized (account.lock()) {...}}. */
    public Object lock() {
        return lock;
    }

    public long balance() {
        return balance;
    }

    public void deposit(long amount) {
        balance = balance + amount;
        lowest.accumulateAndGet(balance, Math::min);
    }

    public void withdraw(long amount) {
        long after = balance - amount;
        lowest.accumulateAndGet(after, Math::min);
        balance = after;
    }

    /** The lowest balance this account ever had: negative means money was spent twice. */
    public long lowestBalance() {
        return lowest.get();
    }

    @Override
    public String toString() {
        return "Account " + id;
    }
}
