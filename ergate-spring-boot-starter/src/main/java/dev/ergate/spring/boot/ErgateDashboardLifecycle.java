package dev.ergate.spring.boot;

import dev.ergate.dashboard.DashboardOptions;
import dev.ergate.dashboard.ErgateDashboard;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.QueueStats;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Ergate dashboard (ergate-dashboard, the JDK's HTTP server on a port of its own) started
 * with the application and stopped with it.
 */
public final class ErgateDashboardLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ErgateDashboardLifecycle.class);

    private final JobAdmin admin;
    private final @Nullable QueueStats queueStats;
    private final DashboardOptions options;
    private @Nullable ErgateDashboard dashboard;

    ErgateDashboardLifecycle(JobAdmin admin, @Nullable QueueStats queueStats, DashboardOptions options) {
        this.admin = admin;
        this.queueStats = queueStats;
        this.options = options;
    }

    /** {@return where the dashboard answers, or null while it is stopped} */
    public synchronized @Nullable URI uri() {
        return dashboard == null ? null : dashboard.uri();
    }

    @Override
    public synchronized void start() {
        if (dashboard == null) {
            dashboard = ErgateDashboard.start(admin, queueStats, options);
            LOG.info("Ergate dashboard on {}", dashboard.uri());
        }
    }

    @Override
    public synchronized void stop() {
        if (dashboard != null) {
            dashboard.close();
            dashboard = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return dashboard != null;
    }
}
