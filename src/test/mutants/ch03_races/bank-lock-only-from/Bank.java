// Mutant: locks only "from"; "to" is changed while another transfer may be changing it too.
package ch03_races;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

public class Bank {

    public void transfer(Account from, Account to, long amount) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        if (from == to) {
            throw new IllegalArgumentException("from and to must be different accounts");
        }
        synchronized (from.lock()) {
            if (from.balance() < amount) {
                throw new InsufficientFundsException(from, amount);
            }
            from.withdraw(amount);
            to.deposit(amount);
        }
    }

    public long totalBalance(List<Account> accounts) {
        return sum(accounts.stream().sorted(Comparator.comparingLong(Account::id)).toList(), 0, accounts);
    }

    private static long sum(List<Account> ordered, int i, List<Account> accounts) {
        if (i == ordered.size()) {
            return accounts.stream().mapToLong(Account::balance).sum();
        }
        synchronized (ordered.get(i).lock()) {
            return sum(ordered, i + 1, accounts);
        }
    }
}
