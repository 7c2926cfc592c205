package dev.ergate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.StoredJob;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ergate jobs list|show|cancel|retry|delete}. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List, show, cancel, retry or delete jobs.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Cancel.class,
                JobsCommand.Retry.class, JobsCommand.Delete.class},
        synopsisSubcommandLabel = "(list | show | cancel | retry | delete)")
final class JobsCommand {

    static final JobCodec CODEC = JobCodec.standard();

    private JobsCommand() {
    }

    static ObjectNode toJson(StoredJob stored) {
        ObjectNode node = CommandBase.JSON.createObjectNode();
        node.set("job", CODEC.toTree(stored.job()));
        Instant updated = stored.updatedAt();
        node.put("updatedAt", updated == null ? null : updated.toString());
        return node;
    }

    static Optional<StoredJob> find(JobAdmin admin, String text) {
        JobId id = CommandBase.jobId(text, candidate -> admin.findJob(candidate).isPresent());
        return admin.findJob(id);
    }

    static StoredJob require(JobAdmin admin, String text) {
        return find(admin, text).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no job " + text));
    }

    /** {@code jobs list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the jobs that match the filters, one page unless --all.")
    static final class ListJobs extends CommandBase {
        @Option(names = "--status", paramLabel = "STATUS", description = "only jobs in this status (${COMPLETION-CANDIDATES})")
        @Nullable JobStatus status;

        @Option(names = "--workflow", paramLabel = "NAME", description = "only jobs of this workflow")
        @Nullable String workflow;

        @Option(names = "--id", paramLabel = "PREFIX", description = "only jobs whose id starts with this")
        @Nullable String idPrefix;

        @Option(names = "--updated-within", paramLabel = "DURATION", converter = Durations.class,
                description = "only jobs written in the last DURATION (90s, 15m, 12h, 7d)")
        @Nullable Duration updatedWithin;

        @Option(names = "--not-updated-within", paramLabel = "DURATION", converter = Durations.class,
                description = "only jobs not written in the last DURATION (stuck ones)")
        @Nullable Duration notUpdatedWithin;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "jobs per page (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "continue after the page that printed this cursor")
        @Nullable String cursor;

        @Option(names = "--all", description = "walk every page")
        boolean all;

        @Override
        int run(Connection connection) throws Exception {
            Instant now = Instant.now();
            JobFilter filter = JobFilter.builder().status(status).workflowName(workflow).idPrefix(idPrefix)
                    .updatedAfter(updatedWithin == null ? null : now.minus(updatedWithin))
                    .updatedBefore(notUpdatedWithin == null ? null : now.minus(notUpdatedWithin))
                    .pageSize(limit).cursor(cursor).build();
            printPages("jobs", cursor, all, next -> connection.admin().listJobs(filter.after(next)),
                    JobsCommand::toJson, new Table("ID", "WORKFLOW", "STATUS", "STEP", "DONE", "%", "UPDATED"),
                    stored -> {
                        Job job = stored.job();
                        Instant updated = stored.updatedAt();
                        return new Object[] {job.id(), job.workflowName(), job.status(), job.stepName(),
                            job.stepsCompleted(), String.format("%.0f", job.percentCompleted()),
                            updated == null ? "" : updated.truncatedTo(ChronoUnit.SECONDS)};
                    }, "No jobs match.");
            return ExitCodes.OK;
        }
    }

    /** {@code jobs show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show every field of a job and, where the store keeps one, its history.")
    static final class Show extends CommandBase {
        @Parameters(paramLabel = "ID", description = "the job's id")
        String id = "";

        @Override
        int run(Connection connection) throws Exception {
            JobAdmin admin = connection.admin();
            StoredJob stored = require(admin, id);
            @Nullable List<JobEvent> history = admin.supports(JobAdmin.Operation.JOB_HISTORY)
                    ? admin.history(idOf(stored)) : null;
            if (json()) {
                ObjectNode out = toJson(stored);
                if (history == null) {
                    out.putNull("history");
                } else {
                    ArrayNode events = out.putArray("history");
                    for (JobEvent event : history) {
                        events.addObject().put("at", event.at().toString()).put("status", event.status().name())
                                .put("step", event.stepName()).put("stepsCompleted", event.stepsCompleted())
                                .put("percentCompleted", event.percentCompleted());
                    }
                }
                printJson(out);
                return ExitCodes.OK;
            }
            PrintWriter out = out();
            JsonNode tree = CODEC.toTree(stored.job());
            for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("exception_traceback")) {
                    continue;
                }
                JsonNode value = field.getValue();
                String text = value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
                out.println(field.getKey() + ": " + Terminal.safe(text).replace("\n", "\n  "));
            }
            Instant updated = stored.updatedAt();
            if (updated != null) {
                out.println("updated_at: " + updated);
            }
            String traceback = stored.job().exceptionTraceback();
            if (traceback != null) {
                out.println("exception_traceback:");
                out.println("  " + Terminal.safe(traceback).replace("\n", "\n  "));
            }
            if (history == null) {
                out.println("history: not kept by this store");
            } else {
                out.println("history:");
                Table table = new Table("AT", "STATUS", "STEP", "DONE", "%");
                for (JobEvent event : history) {
                    table.row(event.at(), event.status(), event.stepName(), event.stepsCompleted(),
                            String.format("%.0f", event.percentCompleted()));
                }
                table.print(out, root().width());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code jobs cancel ID}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Ask for a job to be cancelled before its next step.")
    static final class Cancel extends CommandBase {
        @Parameters(paramLabel = "ID", description = "the job's id")
        String id = "";

        @Override
        int run(Connection connection) throws Exception {
            StoredJob stored = require(connection.admin(), id);
            if (connection.admin().cancelJob(idOf(stored))) {
                report(true, "Job " + id + " will be cancelled before its next step.");
                return ExitCodes.OK;
            }
            report(false, "Job " + id + " is " + stored.job().status() + ": it has already ended.");
            return ExitCodes.REFUSED;
        }
    }

    /** {@code jobs retry ID}. */
    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Run a FAILED, ABORTED or CANCELLED job again from the step it ended at.")
    static final class Retry extends CommandBase {
        @Parameters(paramLabel = "ID", description = "the job's id")
        String id = "";

        @Override
        int run(Connection connection) throws Exception {
            StoredJob stored = require(connection.admin(), id);
            return switch (connection.admin().retryJob(idOf(stored))) {
                case RETRIED -> {
                    report(true, "Job " + id + " is queued again from the step it ended at.");
                    yield ExitCodes.OK;
                }
                case NOT_FOUND -> {
                    report(false, "No job " + id + ".");
                    yield ExitCodes.NOT_FOUND;
                }
                case NOT_RETRYABLE -> {
                    report(false, "Job " + id + " is " + stored.job().status()
                            + "; only FAILED, ABORTED or CANCELLED jobs can be retried.");
                    yield ExitCodes.REFUSED;
                }
            };
        }
    }

    /** {@code jobs delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a job's state (and history).")
    static final class Delete extends CommandBase {
        @Parameters(paramLabel = "ID", description = "the job's id")
        String id = "";

        @Override
        int run(Connection connection) throws Exception {
            StoredJob stored = require(connection.admin(), id);
            if (connection.admin().deleteJob(idOf(stored))) {
                report(true, "Job " + id + " deleted.");
                return ExitCodes.OK;
            }
            report(false, "No job " + id + ".");
            return ExitCodes.NOT_FOUND;
        }
    }

    private static JobId idOf(StoredJob stored) {
        return Objects.requireNonNull(stored.job().id(), "a stored job has an id");
    }
}
