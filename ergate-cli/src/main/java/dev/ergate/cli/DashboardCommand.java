package dev.ergate.cli;

import dev.ergate.dashboard.DashboardOptions;
import dev.ergate.dashboard.ErgateDashboard;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ergate dashboard}: serves the web dashboard until the process is stopped. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Serve the web dashboard (Ctrl-C stops it).")
final class DashboardCommand extends CommandBase {

    /** The environment variable that can hold the token, so it stays out of the process list. */
    static final String TOKEN_ENV = "ERGATE_DASHBOARD_TOKEN";

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE}; 0 for any free one)")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = DashboardOptions.DEFAULT_HOST,
            description = "address to bind (default: ${DEFAULT-VALUE}, this machine only)")
    String host = DashboardOptions.DEFAULT_HOST;

    @Option(names = "--read-only", description = "refuse every action and hide the buttons")
    boolean readOnly;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "require this token (or set " + TOKEN_ENV + "); open /?token=TOKEN once in a browser")
    @Nullable String token;

    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD", description = "require HTTP basic auth")
    @Nullable String basicAuth;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Ergate", description = "name in the page header")
    String title = "Ergate";

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    int run(Connection connection) throws Exception {
        DashboardOptions.Builder options = DashboardOptions.builder().host(host).port(port).readOnly(readOnly).title(title);
        String secret = token != null ? token : root().environment().get(TOKEN_ENV);
        if (secret != null && !secret.isBlank()) {
            options.token(secret.trim());
        }
        if (basicAuth != null) {
            int colon = basicAuth.indexOf(':');
            if (colon <= 0) {
                throw new CliException(ExitCodes.USAGE, "--basic-auth takes USER:PASSWORD");
            }
            options.basicAuth(basicAuth.substring(0, colon), basicAuth.substring(colon + 1));
        }
        ErgateDashboard dashboard = ErgateDashboard.start(connection.admin(), connection.queueStats(), options.build());
        Thread hook = new Thread(() -> {
            dashboard.close();
            stopped.countDown();
        }, "ergate-dashboard-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out().println("Ergate dashboard for " + connection.describe() + " at " + dashboard.uri()
                + (readOnly ? " (read-only)" : "") + "; Ctrl-C stops it.");
        out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dashboard.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return ExitCodes.OK;
    }
}
