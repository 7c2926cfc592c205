package dev.ergate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.spi.DeadLetterFilter;
import dev.ergate.spi.RequeueResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ergate dead-letters list|requeue|purge}. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "List, requeue or purge the messages a queue gave up on.",
        subcommands = {DeadLettersCommand.ListDeadLetters.class, DeadLettersCommand.Requeue.class,
                DeadLettersCommand.Purge.class},
        synopsisSubcommandLabel = "(list | requeue | purge)")
final class DeadLettersCommand {

    private DeadLettersCommand() {
    }

    /** {@code dead-letters list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first: reason, time, source queue, body.")
    static final class ListDeadLetters extends CommandBase {
        @Option(names = "--job", paramLabel = "ID", description = "only those of this job")
        @Nullable String jobId;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "per page (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "continue after the page that printed this cursor")
        @Nullable String cursor;

        @Option(names = "--all", description = "walk every page")
        boolean all;

        @Override
        int run(Connection connection) throws Exception {
            DeadLetterFilter filter = DeadLetterFilter.builder().jobId(jobId).pageSize(limit).cursor(cursor).build();
            printPages("deadLetters", cursor, all, next -> connection.admin().listDeadLetters(filter.after(next)),
                    letter -> JSON.createObjectNode().put("id", letter.id()).put("sourceQueue", letter.sourceQueue())
                            .put("at", letter.at().toString()).put("reason", letter.reason())
                            .put("deliveryCount", letter.deliveryCount()).put("jobId", letter.jobId())
                            .put("body", letter.body()),
                    new Table("ID", "AT", "QUEUE", "JOB", "N", "REASON", "BODY"),
                    letter -> new Object[] {letter.id(), letter.at().truncatedTo(ChronoUnit.SECONDS), letter.sourceQueue(), letter.jobId(),
                        letter.deliveryCount(), letter.reason(), letter.body()},
                    "No dead letters.");
            return ExitCodes.OK;
        }
    }

    /** {@code dead-letters requeue ID... | --all}. */
    @Command(name = "requeue", mixinStandardHelpOptions = true, description = "Put dead letters back on their queue; a body that is still not a job stays.")
    static final class Requeue extends CommandBase {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which = new Which();

        static final class Which {
            @Parameters(paramLabel = "ID", description = "the dead letters' ids (from dead-letters list)")
            List<String> ids = new ArrayList<>();

            @Option(names = "--all", required = true, description = "every dead letter")
            boolean all;
        }

        @Override
        int run(Connection connection) throws Exception {
            List<String> requeued = new ArrayList<>();
            List<RequeueResult.Kept> kept = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            if (which.all) {
                RequeueResult result = connection.admin().requeueDeadLetters(DeadLetterFilter.all());
                requeued.addAll(result.requeued());
                kept.addAll(result.kept());
            } else {
                for (String id : which.ids) {
                    RequeueResult result = connection.admin().requeueDeadLetter(id);
                    requeued.addAll(result.requeued());
                    kept.addAll(result.kept());
                    if (result.requeued().isEmpty() && result.kept().isEmpty()) {
                        unknown.add(id);
                    }
                }
            }
            if (json()) {
                ObjectNode out = JSON.createObjectNode();
                ArrayNode done = out.putArray("requeued");
                requeued.forEach(done::add);
                ArrayNode stayed = out.putArray("kept");
                kept.forEach(k -> stayed.addObject().put("id", k.id()).put("reason", k.reason()));
                ArrayNode missing = out.putArray("unknown");
                unknown.forEach(missing::add);
                printJson(out);
            } else {
                out().println(requeued.size() + " requeued" + (requeued.isEmpty() ? "" : ": " + String.join(", ", requeued)));
                for (RequeueResult.Kept k : kept) {
                    out().println("kept " + k.id() + ": " + k.reason());
                }
                for (String id : unknown) {
                    out().println("no dead letter " + id);
                }
                out().flush();
            }
            if (!unknown.isEmpty()) {
                return ExitCodes.NOT_FOUND;
            }
            return kept.isEmpty() ? ExitCodes.OK : ExitCodes.REFUSED;
        }
    }

    /** {@code dead-letters purge --older-than DURATION}. */
    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete dead letters given up on before a time.")
    static final class Purge extends CommandBase {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Cutoff cutoff = new Cutoff();

        static final class Cutoff {
            @Option(names = "--older-than", paramLabel = "DURATION", converter = Durations.class, required = true,
                    description = "those older than this (90s, 15m, 12h, 7d; 0 for all)")
            @Nullable Duration olderThan;

            @Option(names = "--before", paramLabel = "INSTANT", required = true,
                    description = "those before this time, e.g. 2026-01-31T12:00:00Z")
            @Nullable Instant before;
        }

        @Override
        int run(Connection connection) throws Exception {
            Instant at = cutoff.before != null ? cutoff.before
                    : Instant.now().minus(cutoff.olderThan == null ? Duration.ZERO : cutoff.olderThan);
            long purged = connection.admin().purgeDeadLetters(at);
            if (json()) {
                printJson(JSON.createObjectNode().put("purged", purged).put("before", at.toString()));
            } else {
                out().println(purged + " dead letter" + (purged == 1 ? "" : "s") + " purged (given up on before " + at + ").");
            }
            return ExitCodes.OK;
        }
    }
}
