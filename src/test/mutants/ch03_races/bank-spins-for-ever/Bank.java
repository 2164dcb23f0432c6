// Mutant: waits for enough money by spinning instead of refusing the overdraft: it never returns.
package ch03_races;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

public class Bank {

    public void transfer(Account from, Account to, long amount) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        if (from == to) {
            throw new IllegalArgumentException("from and to must be different accounts, both are " + from);
        }
        while (from.balance() < amount) {
            // waits for the money to arrive, spinning: nothing ever interrupts or ends this
        }
        List<Account> ordered = inLockOrder(List.of(from, to));
        withLocks(ordered, 0, () -> {
            if (from.balance() < amount) {
                throw new InsufficientFundsException(from, amount);
            }
            from.withdraw(amount);
            to.deposit(amount);
            return 0;
        });
    }

    public long totalBalance(List<Account> accounts) {
        Objects.requireNonNull(accounts, "accounts");
        accounts.forEach(account -> Objects.requireNonNull(account, "accounts must not contain null"));
        return withLocks(inLockOrder(accounts), 0,
                () -> accounts.stream().mapToLong(Account::balance).sum());
    }

    private static List<Account> inLockOrder(List<Account> accounts) {
        List<Account> ordered = accounts.stream().distinct().sorted(Comparator.comparingLong(Account::id)).toList();
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).id() == ordered.get(i - 1).id()) {
                throw new IllegalArgumentException("two different accounts share the id " + ordered.get(i).id()
                        + ", so they have no lock order");
            }
        }
        return ordered;
    }

    /** Runs {@code body} holding the locks of {@code ordered} from index {@code i} on, taken in list order. */
    private static long withLocks(List<Account> ordered, int i, LongSupplier body) {
        if (i == ordered.size()) {
            return body.getAsLong();
        }
        synchronized (ordered.get(i).lock()) {
            return withLocks(ordered, i + 1, body);
        }
    }
}
