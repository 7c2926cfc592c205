package dev.ergate.examples;

/** The command line is wrong: the demo prints the message and its usage, and exits with code 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
