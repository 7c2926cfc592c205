package dev.ergate.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A plain-text table that fits the terminal's width: columns keep their natural width while
 * they fit; otherwise the widest columns are cut, with an ellipsis, until the table fits. Cells
 * are flattened to one line. Not thread-safe.
 */
final class Table {

    private static final int MIN_COLUMN = 4;
    private static final String GAP = "  ";

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers.clone();
    }

    Table row(@Nullable Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("a row needs " + headers.length + " cells, got " + cells.length);
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            Object cell = cells[i];
            row[i] = cell == null ? "" : oneLine(cell.toString());
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the table within {@code width} characters per line. */
    void print(PrintWriter out, int width) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        fit(widths, width - GAP.length() * (headers.length - 1));
        out.println(line(headers, widths));
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    /** Shrinks the widest column, one character at a time, until the sum fits or all are small. */
    static void fit(int[] widths, int available) {
        int total = Arrays.stream(widths).sum();
        while (total > available) {
            int widest = 0;
            for (int i = 1; i < widths.length; i++) {
                if (widths[i] > widths[widest]) {
                    widest = i;
                }
            }
            if (widths[widest] <= MIN_COLUMN) {
                return;
            }
            widths[widest]--;
            total--;
        }
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cut(cells[i], widths[i]);
            out.append(cell);
            if (i < cells.length - 1) {
                out.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length()))).append(GAP);
            }
        }
        return out.toString().stripTrailing();
    }

    private static String cut(String text, int width) {
        int length = text.codePointCount(0, text.length());
        if (length <= width) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, Math.max(0, width - 1))) + "…";
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * @param environment the process environment
     * @return the terminal's width from {@code COLUMNS}, else 100 (never under 40)
     */
    static int terminalWidth(java.util.Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null) {
            try {
                return Math.max(40, Integer.parseInt(columns.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return 100;
    }
}
