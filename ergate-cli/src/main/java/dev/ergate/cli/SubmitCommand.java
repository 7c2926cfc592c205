package dev.ergate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.runtime.ErgateClient;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ergate submit WORKFLOW --input JSON}: queue a job for the workers. */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Queue a new job of a workflow; prints its id.")
final class SubmitCommand extends CommandBase {

    @Parameters(paramLabel = "WORKFLOW", description = "the workflow to run")
    String workflow = "";

    @Option(names = "--input", paramLabel = "JSON", description = "the first step's input, as JSON (default: null)")
    @Nullable String input;

    @Option(names = "--user-context", paramLabel = "JSON", description = "the context every step can read, as JSON")
    @Nullable String userContext;

    @Option(names = "--id", paramLabel = "ID", description = "the job's id (default: a random UUID)")
    @Nullable String id;

    @Option(names = "--delay", paramLabel = "DURATION", converter = Durations.class,
            description = "start no sooner than this from now (90s, 15m, 12h)")
    @Nullable Duration delay;

    @Override
    int run(Connection connection) throws Exception {
        Job.Builder job = Job.builder().workflowName(workflow)
                .initialInputValue(parse("--input", input))
                .userContext(parse("--user-context", userContext));
        if (id != null) {
            job.id(JobId.of(id));
        }
        if (delay != null && !delay.isZero()) {
            job.requestedStartTime(Instant.now().plus(delay));
        }
        JobId submitted = ErgateClient.builder(connection.queue()).store(connection.store()).build().submit(job.build());
        if (json()) {
            printJson(JSON.createObjectNode().put("id", submitted.value()).put("workflow", workflow));
        } else {
            out().println(submitted.value());
        }
        return ExitCodes.OK;
    }

    private static @Nullable JsonNode parse(String option, @Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.USAGE, option + " is not JSON (" + e.getOriginalMessage()
                    + "); quote strings, e.g. --input '\"text\"' or --input '{\"n\": 3}'");
        }
    }
}
