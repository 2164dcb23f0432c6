package ch03_races;

/** Thrown when a transfer would take an account below zero; nothing has been moved. */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(Account from, long amount) {
        super(from + " holds " + from.balance() + ", cannot transfer " + amount);
    }
}
