package dev.ergate.cli;

/** Keeps job data from driving the terminal: control characters other than newline become '?'. */
final class Terminal {

    private Terminal() {
    }

    static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                out.appendCodePoint(c);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }
}
