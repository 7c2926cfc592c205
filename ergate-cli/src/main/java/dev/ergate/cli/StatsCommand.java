package dev.ergate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobCounts;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code ergate stats}: the queue's counts and the jobs by workflow and status. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Queue depth, in-flight and dead letters; jobs by workflow and status.")
final class StatsCommand extends CommandBase {

    @Override
    int run(Connection connection) throws Exception {
        QueueStats stats = connection.queueStats();
        QueueCounts queue = stats == null ? null : stats.counts();
        JobAdmin admin = connection.admin();
        JobCounts jobs = admin.supports(JobAdmin.Operation.COUNT_JOBS) ? admin.countJobs() : null;
        if (json()) {
            ObjectNode out = JSON.createObjectNode();
            if (queue == null) {
                out.putNull("queue");
            } else {
                out.putObject("queue").put("ready", queue.ready()).put("delayed", queue.delayed())
                        .put("inFlight", queue.inFlight()).put("deadLetters", queue.deadLetters())
                        .put("approximate", queue.approximate());
            }
            if (jobs == null) {
                out.putNull("jobs");
            } else {
                ObjectNode byWorkflow = out.putObject("jobs");
                jobs.byWorkflow().forEach((workflow, counts) -> {
                    ObjectNode node = byWorkflow.putObject(workflow);
                    counts.forEach((status, n) -> node.put(status.name(), n));
                });
                ObjectNode totals = out.putObject("totals");
                jobs.byStatus().forEach((status, n) -> totals.put(status.name(), n));
            }
            printJson(out);
            return ExitCodes.OK;
        }
        out().println("Backend: " + connection.describe());
        if (queue == null) {
            out().println("Queue: does not report its counts");
        } else {
            String mark = queue.approximate() ? "~" : "";
            out().println("Queue: " + mark + shown(queue.ready()) + " ready, " + mark + shown(queue.delayed()) + " delayed, "
                    + mark + shown(queue.inFlight()) + " in flight, " + mark + shown(queue.deadLetters()) + " dead letters");
        }
        if (jobs == null) {
            out().println("Jobs: this store can't count them");
        } else if (jobs.byWorkflow().isEmpty()) {
            out().println("Jobs: none");
        } else {
            Set<JobStatus> present = EnumSet.noneOf(JobStatus.class);
            present.addAll(jobs.byStatus().keySet());
            List<String> headers = new ArrayList<>(List.of("WORKFLOW"));
            present.forEach(s -> headers.add(s.name()));
            headers.add("TOTAL");
            Table table = new Table(headers.toArray(String[]::new));
            for (Map.Entry<String, Map<JobStatus, Long>> row : jobs.byWorkflow().entrySet()) {
                table.row(cells(row.getKey(), row.getValue(), present));
            }
            table.row(cells("(all)", jobs.byStatus(), present));
            table.print(out(), root().width());
        }
        out().flush();
        return ExitCodes.OK;
    }

    private static Object[] cells(String name, Map<JobStatus, Long> counts, Set<JobStatus> present) {
        List<Object> cells = new ArrayList<>();
        cells.add(name);
        long total = 0;
        for (JobStatus status : present) {
            long n = counts.getOrDefault(status, 0L);
            cells.add(n);
            total += n;
        }
        cells.add(total);
        return cells.toArray();
    }

    private static String shown(long count) {
        return count < 0 ? "?" : Long.toString(count);
    }
}
