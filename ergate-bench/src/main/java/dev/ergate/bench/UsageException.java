package dev.ergate.bench;

import org.jspecify.annotations.Nullable;

/**
 * The command line is wrong (the message says what), or help was asked for (no message). {@link
 * BenchMain} prints the message and {@link HarnessOptions#usage()}. Immutable and thread-safe.
 */
public final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final boolean help;

    /** @param problem what is wrong with the command line, or {@code null} when help was asked for */
    public UsageException(@Nullable String problem) {
        super(problem == null ? "help" : problem);
        this.help = problem == null;
    }

    /** @return true when the user asked for help rather than made a mistake */
    public boolean isHelp() {
        return help;
    }
}
