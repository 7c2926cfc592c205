package dev.ergate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.JobId;
import dev.ergate.spi.CursorPage;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every leaf command shares: the root's options, output as a table or JSON, opening the
 * connection and closing it after. A command returns its {@link ExitCodes exit status}.
 */
abstract class CommandBase implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--json", description = "print JSON for scripts instead of tables")
    boolean json;

    @Override
    public final Integer call() throws Exception {
        try (Connection connection = root().connect()) {
            return run(connection);
        }
    }

    /** {@return the exit status} */
    abstract int run(Connection connection) throws Exception;

    ErgateCli root() {
        return (ErgateCli) Objects.requireNonNull(spec).root().userObject();
    }

    boolean json() {
        return json || root().json;
    }

    PrintWriter out() {
        return Objects.requireNonNull(spec).commandLine().getOut();
    }

    PrintWriter err() {
        return Objects.requireNonNull(spec).commandLine().getErr();
    }

    CommandLine commandLine() {
        return Objects.requireNonNull(spec).commandLine();
    }

    void printJson(JsonNode node) throws Exception {
        out().println(JSON.writeValueAsString(node));
        out().flush();
    }

    /**
     * Prints a listing: a table for people, {@code {FIELD: [...], "nextCursor": ...}} for scripts;
     * one page, or every page with {@code all}.
     */
    <T> void printPages(String field, @Nullable String cursor, boolean all,
            Function<@Nullable String, CursorPage<T>> page, Function<T, JsonNode> toJson, Table table,
            Function<T, Object[]> toRow, String none) throws Exception {
        ArrayNode items = JSON.createArrayNode();
        String next = cursor;
        do {
            CursorPage<T> current = page.apply(next);
            for (T item : current.items()) {
                if (json()) {
                    items.add(toJson.apply(item));
                } else {
                    table.row(toRow.apply(item));
                }
            }
            next = current.nextCursor();
        } while (all && next != null);
        if (json()) {
            ObjectNode out = JSON.createObjectNode();
            out.set(field, items);
            out.put("nextCursor", next);
            printJson(out);
        } else if (table.isEmpty()) {
            out().println(none);
        } else {
            table.print(out(), root().width());
            if (next != null) {
                out().println("More: add --cursor " + next + " (or --all)");
            }
        }
        out().flush();
    }

    /** Prints a sentence for people, or {@code {"done":..,"message":..}} for scripts. */
    void report(boolean done, String message) throws Exception {
        if (json()) {
            printJson(JSON.createObjectNode().put("done", done).put("message", message));
        } else {
            out().println(message);
            out().flush();
        }
    }

    /** {@return the id as text, or as a number when the text is one and no text id matches} */
    static JobId jobId(String text, java.util.function.Predicate<JobId> exists) {
        JobId asText = JobId.of(text);
        if (text.matches("-?[0-9]{1,18}") && !exists.test(asText)) {
            JobId asNumber = JobId.of(Long.parseLong(text));
            if (exists.test(asNumber)) {
                return asNumber;
            }
        }
        return asText;
    }
}
