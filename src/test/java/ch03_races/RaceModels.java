package ch03_races;

import static kit.Measure.inParallel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chapter's races as scenarios for model checking ({@link kit.ModelCheck}): a few operations
 * on two or three threads, and what must hold however their steps interleave. What the threads
 * share is kept in the scenario's fields, where the checker sees it shared.
 */
public final class RaceModels {

    private RaceModels() {
    }

    /** Two threads increment twice each: the counter must say 4. */
    abstract static class Increments implements Runnable {

        private Counter counter;

        abstract Counter newCounter();

        @Override
        public void run() {
            counter = newCounter();
            inParallel(() -> {
                counter.increment();
                counter.increment();
            }, () -> {
                counter.increment();
                counter.increment();
            });
            long value = counter.get();
            if (value != 4) {
                throw new AssertionError("two threads incremented twice each, but get() says " + value + ": "
                        + (4 - value) + " update(s) lost");
            }
        }
    }

    public static final class LockedIncrements extends Increments {
        @Override
        Counter newCounter() {
            return new LockedCounter();
        }
    }

    public static final class AtomicIncrements extends Increments {
        @Override
        Counter newCounter() {
            return new AtomicCounter();
        }
    }

    /**
     * Two accounts of 10: two transfers of 7 from the first (at most one can be paid, unless the
     * transfer back came first), one back, and a total read meanwhile. No balance may ever go below
     * zero, the money stays 20, the total read sees 20, and every transfer ends (no deadlock).
     */
    public static final class Transfers implements Runnable {

        private Bank bank;
        private Account a;
        private Account b;

        @Override
        public void run() {
            bank = new Bank();
            a = new Account(1, 10);
            b = new Account(2, 10);
            AtomicLong total = new AtomicLong();
            inParallel(() -> {
                pay(a, b);
                total.set(bank.totalBalance(List.of(a, b)));
            }, () -> pay(b, a), () -> pay(a, b));
            if (a.lowestBalance() < 0 || b.lowestBalance() < 0) {
                throw new AssertionError("an account was overdrawn (lowest balances " + a.lowestBalance() + " and "
                        + b.lowestBalance() + "): two transfers both found enough money and both took it: the balance"
                        + " must be checked while holding the locks");
            }
            if (a.balance() + b.balance() != 20) {
                throw new AssertionError("the two accounts hold " + (a.balance() + b.balance()) + " after the transfers"
                        + " instead of 20: a deposit or a withdrawal was lost: hold the locks of both accounts from the"
                        + " check to the deposit");
            }
            if (total.get() != 20) {
                throw new AssertionError("totalBalance said " + total.get() + " while transfers ran, but the money was"
                        + " always 20: it saw one account before a transfer and the other after it: lock while adding up");
            }
        }

        private void pay(Account from, Account to) {
            try {
                bank.transfer(from, to, 7);
            } catch (InsufficientFundsException refused) {
                // refused is a right answer when the money is not there
            }
        }
    }

    /** Two passengers book the same seat at once: exactly one gets it, and bookings() names that one. */
    public static final class SameSeat implements Runnable {

        private SeatBooking booking;

        @Override
        public void run() {
            booking = new SeatBooking();
            AtomicBoolean ann = new AtomicBoolean();
            AtomicBoolean bob = new AtomicBoolean();
            inParallel(() -> ann.set(booking.book("12A", "Ann")), () -> bob.set(booking.book("12A", "Bob")));
            if (ann.get() == bob.get()) {
                throw new AssertionError((ann.get() ? "both" : "neither") + " of two passengers booking seat 12A at once"
                        + " got it: checking that the seat is free and taking it must be one atomic step: make them one");
            }
            Map<String, String> seats = booking.bookings();
            String winner = ann.get() ? "Ann" : "Bob";
            if (!winner.equals(seats.get("12A"))) {
                throw new AssertionError(winner + " was told the seat is theirs, but bookings() gives 12A to "
                        + seats.get("12A") + ": a later booking overwrote the first");
            }
        }
    }
}
