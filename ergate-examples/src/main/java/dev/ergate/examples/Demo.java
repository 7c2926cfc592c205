package dev.ergate.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.micrometer.ErgateMetrics;
import dev.ergate.runtime.Dependencies;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.JobRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * The demo: submits a batch of orders to Ergate workers over the chosen backend, shows their
 * progress live and ends with a summary; {@code --help} lists the options. Exit codes: 0 every job
 * ended, 1 they did not end in time or the backend failed, 2 a bad command line. Not thread-safe:
 * {@link #run} is called once per process (tests call it in turn).
 */
public final class Demo {

    private static final Duration OVERALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration REDRAW = Duration.ofMillis(200);
    private static final Duration LINE_EVERY = Duration.ofSeconds(1);

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    private Demo(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Runs the demo and exits the JVM with its exit code.
     *
     * @param args the command line; {@code --help} lists the options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null, System.getenv()));
    }

    /**
     * Runs the demo without exiting the JVM.
     *
     * @param args the command line
     * @param out where progress and the summary go
     * @param err where errors and the usage for a bad command line go
     * @param terminal true to redraw one progress line in place, false to print a line a second
     * @param environment where backend URLs are looked up
     * @return the exit code: 0 all jobs ended, 1 they did not or the backend failed, 2 bad
     *     command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal,
            Map<String, String> environment) {
        CommandLine commandLine = DemoCommand.commandLine();
        DemoOptions options;
        try {
            options = DemoCommand.parse(commandLine, args);
        } catch (ParameterException e) {
            err.println("ergate-demo: " + e.getMessage());
            err.print(commandLine.getUsageMessage());
            return 2;
        }
        if (options == null) {
            out.print(commandLine.getUsageMessage());
            return 0;
        }
        return new Demo(out, err, terminal).run(options, environment, commandLine.getUsageMessage());
    }

    private int run(DemoOptions options, Map<String, String> environment, String usage) {
        DemoBackend backend;
        try {
            backend = DemoBackends.factory(options.backend()).open(options, environment);
        } catch (UsageException | IllegalArgumentException e) {
            // a URL the adapter can't parse is a bad command line, not a backend failure
            err.println("ergate-demo: " + e.getMessage());
            err.print(usage);
            return 2;
        } catch (Exception e) {
            err.println("ergate-demo: can't open the " + options.backend() + " backend: " + e.getMessage());
            return 1;
        }
        try (backend) {
            return runBatch(options, backend);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ergate-demo: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("ergate-demo: the " + options.backend() + " backend failed: " + e);
            return 1;
        }
    }

    private int runBatch(DemoOptions options, DemoBackend backend) throws InterruptedException {
        ObjectMapper mapper = JobRunner.defaultObjectMapper();
        OrderGenerator orders = new OrderGenerator(options.seed(), options.jobs(), mapper);
        ProgressBoard board = new ProgressBoard(options.jobs());
        Dependencies services = Dependencies.builder()
                .singleton(Inventory.class, orders.inventory())
                .singleton(PaymentGateway.class, new PaymentGateway())
                .singleton(Latency.class, new Latency(options.stepTime()))
                .build();
        ErgateOptions workerOptions = ErgateOptions.builder()
                .concurrency(options.concurrency())
                .pollTimeout(Duration.ofMillis(500))
                .handleSignals(false)
                .build();
        out.printf("Ergate demo: %d orders on %s, %d worker threads, %d ms per step%n", options.jobs(),
                backend.describe(), options.concurrency(), options.stepTime().toMillis());

        try (DemoDashboard dashboard = DemoDashboard.start(options.dashboardPort(), backend, out)) {
            return runWorker(options, backend, mapper, orders, board, services, workerOptions, dashboard);
        }
    }

    private int runWorker(DemoOptions options, DemoBackend backend, ObjectMapper mapper, OrderGenerator orders,
            ProgressBoard board, Dependencies services, ErgateOptions workerOptions, @Nullable DemoDashboard dashboard)
            throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ErgateMetrics metrics = new ErgateMetrics(registry);
        long start = System.nanoTime();
        boolean allEnded;
        Duration elapsed;
        try (Ergate worker = Ergate.builder(backend.queue(), backend.store())
                .options(workerOptions)
                .dependencies(services)
                .objectMapper(mapper)
                .listener(board)
                .listener(metrics)
                .build()
                .registerAnnotated(new OrderWorkflow())) {
            worker.start();
            ErgateClient client = ErgateClient.builder(backend.queue()).store(backend.store())
                    .objectMapper(mapper).submitHook(metrics).build();
            for (int i = 1; i <= options.jobs(); i++) {
                Job order = orders.next(i);
                // Order ids are fixed (A-10001, ...), so a second run on the same backend replaces the first's.
                client.submit(order.workflowName()).id(Objects.requireNonNull(order.id(), "order id"))
                        .input(order.initialInputValue()).userContext(order.userContext()).replace().submit();
            }
            allEnded = showProgress(board, start);
            elapsed = Duration.ofNanos(System.nanoTime() - start);
        }
        out.print(board.summary(elapsed));
        if (options.metrics()) {
            out.print(MetricsSummary.render(registry));
        }
        if (dashboard != null) {
            dashboard.holdOpenInTerminal(out);
        }
        if (!allEnded) {
            err.printf("ergate-demo: only %d of %d jobs ended within %s%n", board.endedCount(), options.jobs(),
                    OVERALL_TIMEOUT);
            return 1;
        }
        Map<JobStatus, Integer> counts = board.byStatus();
        return counts.values().stream().mapToInt(Integer::intValue).sum() == options.jobs() ? 0 : 1;
    }

    /** Prints progress until every job ended (true) or the overall timeout (false). */
    private boolean showProgress(ProgressBoard board, long startNanos) throws InterruptedException {
        long lastLine = System.nanoTime();
        long deadline = startNanos + OVERALL_TIMEOUT.toNanos();
        while (true) {
            boolean done = board.awaitAllEnded(REDRAW);
            long now = System.nanoTime();
            if (terminal) {
                out.print("\r" + board.progressLine());
                if (done) {
                    out.println();
                }
                out.flush();
            } else if (done || now - lastLine >= LINE_EVERY.toNanos()) {
                out.println(board.progressLine());
                lastLine = now;
            }
            if (done) {
                return true;
            }
            if (now > deadline) {
                if (terminal) {
                    out.println();
                }
                return false;
            }
        }
    }
}
