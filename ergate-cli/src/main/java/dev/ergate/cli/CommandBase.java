package dev.ergate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ergate.JobId;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
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

    /** @return the exit status */
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

    /** Prints a sentence for people, or {@code {"done":..,"message":..}} for scripts. */
    void report(boolean done, String message) throws Exception {
        if (json()) {
            printJson(JSON.createObjectNode().put("done", done).put("message", message));
        } else {
            out().println(message);
            out().flush();
        }
    }

    /** @return the id as text, or as a number when the text is one and no text id matches */
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
