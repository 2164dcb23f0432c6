package ch03_races;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import kit.Arguments;
import kit.Blocking;
import kit.Exercise;
import kit.Points;
import kit.ThreadReport;
import kit.Threads;
import kit.ModelCheck;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(9)
class BankTest {

    private static final int THREADS = 8;
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** How long a refused transfer may take: it need not wait for anything. */
    private static final Duration REFUSAL_BOUND = Duration.ofSeconds(5);
    /** One round of racing; a wrong bank shows itself in the first round or a later one, a right one never. */
    private static final Duration WINDOW = Duration.ofMillis(150);
    private static final int ROUNDS = 4;

    private final Bank bank = new Bank();

    /** Accounts 1..n holding {@code balance} each, their locks named for deadlock reports. */
    private static List<Account> accounts(int n, long balance) {
        List<Account> accounts = LongStream.rangeClosed(1, n).mapToObj(id -> new Account(id, balance)).toList();
        accounts.forEach(account -> ThreadReport.nameLock(account.lock(), account + "'s lock()"));
        return accounts;
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a transfer moves the amount from one account to the other")
    void transferMovesTheAmount() {
        List<Account> accounts = accounts(2, 100);
        bank.transfer(accounts.get(0), accounts.get(1), 30);
        assertThat(accounts.get(0).balance()).as("balance of the account paid from").isEqualTo(70);
        assertThat(accounts.get(1).balance()).as("balance of the account paid to").isEqualTo(130);
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("an overdraft is refused and leaves both balances as they were")
    void overdraftIsRefused() {
        List<Account> accounts = accounts(2, 100);
        Throwable thrown = Arguments.thrownBy(() -> Blocking.within(REFUSAL_BOUND, () -> "transfer(a, b, 101) from a balance"
                + " of 100 had not returned after " + REFUSAL_BOUND.toSeconds() + " s: refuse an overdraft at once with an"
                + " InsufficientFundsException; never wait for the money to come", () -> {
                    bank.transfer(accounts.get(0), accounts.get(1), 101);
                    return null;
                }));
        assertThat(thrown).as("what transfer(a, b, 101) threw from a balance of 100")
                .isInstanceOf(InsufficientFundsException.class);
        assertThat(accounts).as("balances after a refused transfer: check before you move any money")
                .extracting(Account::balance).containsExactly(100L, 100L);
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("a non-positive amount, the same account twice and null accounts are refused, naming the argument")
    void badArgumentsAreRefused() {
        List<Account> accounts = accounts(2, 100);
        Account a = accounts.get(0);
        Account b = accounts.get(1);
        assertThatThrownBy(() -> bank.transfer(a, b, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> bank.transfer(a, b, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> bank.transfer(a, a, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bank.transfer(null, b, 5)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("from");
        assertThatThrownBy(() -> bank.transfer(a, null, 5)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("to");
        assertThat(accounts).extracting(Account::balance).containsExactly(100L, 100L);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("transfers in opposite directions at the same time never deadlock")
    void oppositeTransfersNeverDeadlock() throws InterruptedException {
        List<Account> accounts = accounts(2, 1_000_000_000);
        Account a = accounts.get(0);
        Account b = accounts.get(1);
        // Half the threads pay a -> b, half b -> a: locking "from" then "to" deadlocks at once.
        for (int round = 1; round <= ROUNDS; round++) {
            race(index -> {
                if (index % 2 == 0) {
                    bank.transfer(a, b, 1);
                } else {
                    bank.transfer(b, a, 1);
                }
            });
            assertThat(a.balance() + b.balance())
                    .as("money in the two accounts after round %d of opposite transfers (started with 2,000,000,000):"
                            + " money was created or destroyed. Does a transfer hold the locks of both accounts while it"
                            + " moves the money?", round)
                    .isEqualTo(2_000_000_000L);
        }
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("8 threads of random transfers conserve the money and never overdraw an account")
    void randomTransfersConserveMoney() throws InterruptedException {
        List<Account> accounts = accounts(4, 100);
        LongAdder refused = new LongAdder();
        LongAdder made = new LongAdder();
        for (int round = 1; round <= ROUNDS; round++) {
            race(index -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Account from = accounts.get(random.nextInt(4));
                Account to = accounts.get((accounts.indexOf(from) + 1 + random.nextInt(3)) % 4);
                try {
                    bank.transfer(from, to, 1 + random.nextInt(60));
                    made.increment();
                } catch (InsufficientFundsException expected) {
                    refused.increment();
                }
            });
            assertThat(accounts.stream().mapToLong(Account::balance).sum())
                    .as("money in the bank after %,d transfers, round %d (started with 400): money was created or"
                            + " destroyed. Does a transfer hold the locks of both accounts while it moves the money?",
                            made.sum(), round)
                    .isEqualTo(400);
            assertThat(accounts).as("lowest balance each account ever had: money was spent twice. Is the balance"
                    + " checked while holding the locks, in the same step as the withdrawal?")
                    .allSatisfy(account -> assertThat(account.lowestBalance()).as(account.toString()).isNotNegative());
        }
        assertThat(refused.sum()).as("transfers refused for lack of funds").isPositive();
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("totalBalance sees one consistent moment while transfers run")
    void totalBalanceIsConsistent() throws InterruptedException {
        List<Account> accounts = accounts(4, 100);
        LongAdder snapshots = new LongAdder();
        for (int round = 1; round <= ROUNDS; round++) {
            race(index -> {
                if (index % 2 == 0) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    int from = random.nextInt(4);
                    try {
                        bank.transfer(accounts.get(from), accounts.get((from + 1 + random.nextInt(3)) % 4),
                                1 + random.nextInt(60));
                    } catch (InsufficientFundsException expected) {
                        // fine: not every random transfer can be paid
                    }
                } else {
                    long total = bank.totalBalance(accounts);
                    snapshots.increment();
                    if (total != 400) {
                        throw new AssertionError("totalBalance returned " + total + " while money moved (always 400):"
                                + " it added balances that were read at different moments. Hold every account's"
                                + " lock while adding up.");
                    }
                }
            });
        }
        assertThat(snapshots.sum()).as("totalBalance calls made while transfers ran").isPositive();
    }

    /**
     * 8 threads call {@code step} over and over for the same {@link #WINDOW}: racing for a time,
     * not a count, keeps them overlapping even where the JIT makes one call a few nanoseconds.
     */
    private static void race(Threads.Body step) throws InterruptedException {
        Threads.race(THREADS, BOUND, index -> {
            long end = System.nanoTime() + WINDOW.toNanos();
            while (System.nanoTime() < end) {
                step.run(index);
            }
        });
    }

    @Test
    @Order(7)
    @Points(2)
    @Timeout(240)
    @DisplayName("no interleaving of three transfers and a total overdraws, loses money, shows a wrong total or deadlocks (model checking, on any number of CPUs)")
    void modelCheckedTransfers() {
        ModelCheck.check(RaceModels.Transfers.class).assertPassed("Transfers and totals that run at the same time must"
                + " not see or leave an account half changed.", "The transfers never ended: a deadlock, two transfers"
                + " each holding a lock the other waits for. Take the locks of both accounts in id order.");
    }
}
