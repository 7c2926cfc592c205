package dev.ergate.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that passes each line through {@link Secrets#scrub} before it reaches the terminal,
 * so nothing the command prints can show a password. Lines are held until their newline or a
 * flush. Not thread-safe on its own (wrap it in a PrintWriter, which locks).
 */
final class ScrubbingWriter extends Writer {

    private final Writer target;
    private final Secrets secrets;
    private final StringBuilder line = new StringBuilder();

    ScrubbingWriter(Writer target, Secrets secrets) {
        this.target = target;
        this.secrets = secrets;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            line.append(buffer[i]);
            if (buffer[i] == '\n') {
                emit();
            }
        }
    }

    private void emit() throws IOException {
        if (line.length() > 0) {
            target.write(secrets.scrub(line.toString()));
            line.setLength(0);
        }
    }

    @Override
    public void flush() throws IOException {
        emit();
        target.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
