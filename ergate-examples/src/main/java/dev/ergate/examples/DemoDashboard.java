package dev.ergate.examples;

import dev.ergate.dashboard.DashboardOptions;
import dev.ergate.dashboard.ErgateDashboard;
import dev.ergate.spi.QueueStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard beside the demo's worker ({@code --dashboard}): up while the batch runs, so the
 * run can be watched live, and, when the demo runs in a terminal, until Enter is pressed after
 * the summary. Not thread-safe: the demo's main thread uses it.
 */
final class DemoDashboard implements AutoCloseable {

    private final ErgateDashboard dashboard;

    private DemoDashboard(ErgateDashboard dashboard) {
        this.dashboard = dashboard;
    }

    /**
     * @param port the port {@code --dashboard} asked for (0 for any free one), or {@code null} for none
     * @return the running dashboard, or {@code null} when none was asked for
     */
    static @Nullable DemoDashboard start(@Nullable Integer port, DemoBackend backend, PrintStream out) {
        if (port == null) {
            return null;
        }
        QueueStats stats = backend.queue() instanceof QueueStats queueStats ? queueStats : null;
        ErgateDashboard dashboard = ErgateDashboard.start(backend.admin(), stats,
                DashboardOptions.builder().port(port).title("Ergate demo").build());
        out.println("Dashboard: " + dashboard.uri() + " (127.0.0.1 only)");
        return new DemoDashboard(dashboard);
    }

    /** After the summary, in a terminal: keeps the dashboard up until Enter (or the end of input). */
    void holdOpenInTerminal(PrintStream out) {
        if (System.console() == null) {
            return;
        }
        out.println("The dashboard stays up at " + dashboard.uri() + ": press Enter to stop.");
        try {
            new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
        } catch (IOException e) {
            // no input to wait on: stop now
        }
    }

    @Override
    public void close() {
        dashboard.close();
    }
}
