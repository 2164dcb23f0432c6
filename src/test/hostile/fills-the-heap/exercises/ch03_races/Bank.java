package ch03_races;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Hostile: correct transfers, and a record of each one that is never let go of. */
public class Bank {

    private final List<long[]> ledger = new ArrayList<>(); // guarded by itself

    public void transfer(Account from, Account to, long amount) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        if (from == to) {
            throw new IllegalArgumentException("from and to must be different accounts");
        }
        Account first = from.id() < to.id() ? from : to;
        Account second = first == from ? to : from;
        synchronized (first.lock()) {
            synchronized (second.lock()) {
                if (from.balance() < amount) {
                    throw new InsufficientFundsException(from, amount);
                }
                from.withdraw(amount);
                to.deposit(amount);
            }
        }
        synchronized (ledger) {
            ledger.add(new long[32 * 1024 * 1024]); // the transfer's record, with room for a scan of its receipt
        }
    }

    public long totalBalance(List<Account> accounts) {
        List<Account> ordered = accounts.stream().sorted(Comparator.comparingLong(Account::id)).toList();
        return sum(ordered, 0);
    }

    private static long sum(List<Account> ordered, int i) {
        if (i == ordered.size()) {
            return 0;
        }
        synchronized (ordered.get(i).lock()) {
            return i == ordered.size() - 1 ? ordered.stream().mapToLong(Account::balance).sum() : sum(ordered, i + 1);
        }
    }
}
