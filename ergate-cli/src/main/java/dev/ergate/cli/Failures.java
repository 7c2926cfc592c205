package dev.ergate.cli;

import dev.ergate.ErgateException;
import dev.ergate.spi.ErgateBackendException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a command throws into one line on stderr and an {@link ExitCodes exit status}; the
 * stack trace only for a bug. (The line passes through the scrubbing writer like all output.)
 * Thread-safe.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    private final PrintWriter err;

    Failures(PrintWriter err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        int code = exitCode(e);
        err.println("ergate: " + describe(e));
        if (code == ExitCodes.SOFTWARE) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException cli) {
            return cli.exitCode();
        }
        if (e instanceof UnsupportedOperationException) {
            return ExitCodes.UNSUPPORTED;
        }
        if (e instanceof ErgateBackendException || e instanceof java.io.UncheckedIOException) {
            return ExitCodes.BACKEND;
        }
        if (e instanceof IllegalArgumentException || e instanceof ErgateException) {
            return ExitCodes.USAGE;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.sql.SQLException
                    || cause instanceof ErgateBackendException) {
                return ExitCodes.BACKEND;
            }
        }
        String name = e.getClass().getName();
        if (name.startsWith("redis.clients.") || name.startsWith("com.zaxxer.") || name.startsWith("org.postgresql.")
                || name.startsWith("software.amazon.") || name.startsWith("org.jdbi.")) {
            return ExitCodes.BACKEND;
        }
        return ExitCodes.SOFTWARE;
    }

    static String describe(Throwable e) {
        if (e instanceof CliException) {
            return String.valueOf(e.getMessage());
        }
        StringBuilder message = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.toString().contains(root.getMessage())) {
            message.append(" (").append(root.getMessage()).append(')');
        }
        return message.toString();
    }
}
