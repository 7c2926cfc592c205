package dev.ergate.jdbc;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.StepContext;
import dev.ergate.runtime.Workflow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The worker JVM of {@link CrashTest}: one worker thread runs the 3-step {@code crash} workflow
 * on PostgreSQL until it is killed. Each step first records its run (job id, step) in the
 * {@code step_runs} table, outside Ergate, then works for a while, so a kill lands mid-step.
 *
 * <p>Arguments: JDBC URL, schema, queue name, step duration in milliseconds.
 */
public final class CrashWorkerMain {

    static final String WORKFLOW = "crash";

    private CrashWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String queueName = args[2];
        long stepMillis = Long.parseLong(args[3]);
        JdbcBackend backend = JdbcBackend.connect(url, JdbcOptions.builder().schema(schema).poolSize(4)
                .migrateOnStart(false).build());
        JdbcJobQueue queue = backend.queue(queueName, CrashTest.LEASE);
        Ergate app = Ergate.builder(queue, backend.store())
                .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(500)).build())
                .build()
                .registerWorkflow(workflow(backend.dataSource(), schema, stepMillis));
        app.run();
    }

    /** The workflow: x -> x + 1 -> * 10 -> "=" + n, each step recorded before it works. */
    static Workflow workflow(DataSource dataSource, String schema, long stepMillis) {
        return Workflow.builder(WORKFLOW)
                .step("add", Integer.class, (n, ctx) -> {
                    record(dataSource, schema, ctx, "add");
                    Thread.sleep(stepMillis);
                    return n + 1;
                })
                .step("mul", Integer.class, (n, ctx) -> {
                    record(dataSource, schema, ctx, "mul");
                    Thread.sleep(stepMillis);
                    return n * 10;
                })
                .step("show", Integer.class, (n, ctx) -> {
                    record(dataSource, schema, ctx, "show");
                    Thread.sleep(stepMillis);
                    return "=" + n;
                })
                .build();
    }

    private static void record(DataSource dataSource, String schema, StepContext ctx, String step) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into " + Tables.quote(schema)
                        + ".step_runs (job_id, step, pid) values (?, ?, ?)")) {
            s.setString(1, ctx.job().id().value());
            s.setString(2, step);
            s.setLong(3, ProcessHandle.current().pid());
            s.executeUpdate();
        }
    }
}
