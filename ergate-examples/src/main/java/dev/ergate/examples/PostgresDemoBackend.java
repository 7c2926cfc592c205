package dev.ergate.examples;

import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcOptions;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.StateStore;
import java.util.Map;

/**
 * PostgreSQL ({@code --backend postgres}): store and queue in the same database, so every step
 * finishes in one transaction. The tables (prefix {@code ergate_demo_}) are created on first use;
 * each run gets a queue of its own. Thread-safe.
 */
final class PostgresDemoBackend implements DemoBackend {

    static final String URL_ENV = "ERGATE_POSTGRES_URL";
    static final String DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

    private final JdbcBackend postgres;

    private PostgresDemoBackend(JdbcBackend postgres) {
        this.postgres = postgres;
    }

    static DemoBackend open(DemoOptions options, Map<String, String> environment) {
        String url = DemoBackends.urlOf(options, environment, URL_ENV, DEFAULT_URL);
        return new PostgresDemoBackend(JdbcBackend.connect(url, JdbcOptions.builder()
                .tablePrefix("ergate_demo_")
                .queueName("demo-" + DemoBackends.runId())
                .poolSize(options.concurrency() + 4)
                .build()));
    }

    @Override
    public JobQueue queue() {
        return postgres.queue();
    }

    @Override
    public StateStore store() {
        return postgres.store();
    }

    @Override
    public JobAdmin admin() {
        return postgres.admin();
    }

    @Override
    public String describe() {
        return "PostgreSQL " + postgres;
    }

    @Override
    public void close() {
        postgres.close();
    }
}
