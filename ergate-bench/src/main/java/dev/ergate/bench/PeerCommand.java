package dev.ergate.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code peer} command line (picocli), turned into {@link PeerOptions}; backend locations
 * not given come from the environment, then the local defaults, as for the harness. Not
 * thread-safe: one instance per parse.
 */
@Command(name = "peer", sortOptions = false, usageHelpWidth = 100,
        customSynopsis = "java -jar ergate-bench.jar peer [options]",
        description = {"The peers' burn-down (../shared/peers/README.md): N jobs of a one-step no-op workflow "
                + "submitted with ErgateClient from C threads, then one Ergate worker of concurrency C runs them; "
                + "prints RESULT peer=ergate-BACKEND n= c= enqueue_per_s= process_per_s= like the peers' harnesses."})
final class PeerCommand {

    @Option(names = "--backend", paramLabel = "NAME", converter = BenchCommand.BackendConverter.class,
            description = "memory|redis|postgres|sqs (default redis)")
    private BackendKind backend = BackendKind.REDIS;

    @Option(names = {"--jobs", "--n"}, paramLabel = "N", description = "jobs (default 20000)")
    private int jobs = 20_000;

    @Option(names = {"--concurrency", "--c"}, paramLabel = "C",
            description = "producer threads, then the worker's concurrency (default 8)")
    private int concurrency = 8;

    @Option(names = "--steps", paramLabel = "N",
            description = "no-op steps per job (default 1, the peers' unit; 3: process_per_s counts steps)")
    private int steps = 1;

    @Option(names = "--batch", description = "submit with ErgateClient.submitAll in batches of --batch-size")
    private boolean batch;

    @Option(names = "--batch-size", paramLabel = "N", description = "jobs per submitAll call with --batch (default 500)")
    private int batchSize = 500;

    @Option(names = "--timeout-seconds", paramLabel = "N", description = "give up after this long (default 600)")
    private int timeoutSeconds = 600;

    @Mixin
    private BackendUrls urls = new BackendUrls();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    /** {@return a parser for a new command} */
    static CommandLine commandLine() {
        return new CommandLine(new PeerCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * @param commandLine from {@link #commandLine()}
     * @param args the arguments after {@code peer}
     * @param env the environment, normally {@link System#getenv()}
     * @return the options, or null when help was asked for
     * @throws ParameterException naming the offending argument or value
     */
    static @Nullable PeerOptions parse(CommandLine commandLine, String[] args, Map<String, String> env) {
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            return null;
        }
        PeerCommand command = commandLine.getCommand();
        try {
            return command.toOptions(env);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, String.valueOf(e.getMessage()), e);
        }
    }

    private PeerOptions toOptions(Map<String, String> env) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout-seconds must be at least 1, got " + timeoutSeconds);
        }
        if (batch && batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        return new PeerOptions(backend, jobs, concurrency, steps, batch ? batchSize : 0,
                Duration.ofSeconds(timeoutSeconds),
                Objects.requireNonNullElse(urls.redis(env), HarnessOptions.DEFAULT_REDIS_URL),
                Objects.requireNonNullElse(urls.postgres(env), HarnessOptions.DEFAULT_POSTGRES_URL),
                urls.sqs(env));
    }
}
