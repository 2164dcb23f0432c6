package ch03_races;

import java.util.List;

/**
 * Exercise 9: moving money between accounts that many threads use at once.
 *
 * <p>{@link Account} is not thread-safe; each account has its own lock, {@link Account#lock()}.
 * A transfer must hold the locks of both accounts, take them in an order every thread agrees
 * on (or two opposite transfers deadlock), and check the balance while holding them.
 * See README.md in this folder.
 */
public class Bank {

    /**
     * Moves {@code amount} from {@code from} to {@code to} as one step no other thread can see
     * half of.
     *
     * @throws InsufficientFundsException if {@code from} holds less than {@code amount}; then
     *     neither balance has changed
     * @throws IllegalArgumentException if {@code amount} is not positive, or both are the same account
     * @throws NullPointerException if an account is null
     */
    public void transfer(Account from, Account to, long amount) {
        throw new UnsupportedOperationException("TODO: lock both accounts in id order, then check and move the money");
    }

    /** The sum of the balances, as they all stood at one moment, even while transfers run. */
    public long totalBalance(List<Account> accounts) {
        throw new UnsupportedOperationException("TODO: hold every account's lock (in id order) while adding up");
    }
}
