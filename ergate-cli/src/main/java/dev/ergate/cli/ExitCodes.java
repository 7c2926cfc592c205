package dev.ergate.cli;

/**
 * What the {@code ergate} command's exit status means (also listed in the module README and in
 * {@code ergate --help}), so scripts can tell "nothing to do" from "broken".
 */
final class ExitCodes {

    /** It worked. */
    static final int OK = 0;
    /** An unexpected error (a bug): the message says what. */
    static final int SOFTWARE = 1;
    /** The command line was wrong: unknown command or option, bad value, missing backend. */
    static final int USAGE = 2;
    /** The job or dead letter named does not exist. */
    static final int NOT_FOUND = 3;
    /** The job is not in a state that allows it (retry of a COMPLETED job, cancel of a final one). */
    static final int REFUSED = 4;
    /** The backend can't do this operation (for example list SQS's dead letters). */
    static final int UNSUPPORTED = 5;
    /** The backend could not be reached or failed. */
    static final int BACKEND = 6;

    static final String HELP = "Exit status: 0 done; 1 unexpected error; 2 bad command line; 3 job or dead "
            + "letter not found; 4 refused (the job's state does not allow it); 5 not supported by this "
            + "backend; 6 backend unreachable or failed.";

    private ExitCodes() {
    }
}
