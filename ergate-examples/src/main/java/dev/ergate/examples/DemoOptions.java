package dev.ergate.examples;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The demo's options, from the command line ({@link DemoCommand}).
 *
 * @param backend which backend runs the jobs: {@code memory} (default), {@code redis},
 *     {@code postgres} or {@code sqs}
 * @param url where the backend is, or {@code null} to take it from the environment or the
 *     backend's local default
 * @param jobs how many orders to submit, 1 to 1,000,000
 * @param concurrency how many worker threads run steps at once, 1 to 256
 * @param stepTime how long each step pretends to work (a call to a remote service)
 * @param seed makes the batch of orders, and so the summary, repeatable
 * @param metrics whether {@code --metrics} asked for the Micrometer summary at the end
 * @param dashboardPort the port {@code --dashboard} serves the dashboard on (0 for any free one), or
 *     {@code null} for no dashboard
 */
record DemoOptions(String backend, @Nullable String url, int jobs, int concurrency, Duration stepTime, long seed,
        boolean metrics, @Nullable Integer dashboardPort) {

    /** Checks the values. */
    DemoOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(stepTime, "stepTime");
    }
}
