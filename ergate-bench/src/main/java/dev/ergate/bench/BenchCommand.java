package dev.ergate.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The harness's command line (picocli), turned into {@link HarnessOptions}. Backend locations
 * not given fall back to the environment, then to the local defaults. Not thread-safe: one
 * instance per parse.
 */
@Command(name = "ergate-bench", sortOptions = false, usageHelpWidth = 100,
        customSynopsis = "java -jar ergate-bench.jar [options]",
        description = "Runs Ergate and a raw baseline of the same backend, and prints a table (see BENCHMARKS.md).",
        footer = {"", "JMH benchmarks of the engine: java -cp ergate-bench.jar org.openjdk.jmh.Main "
                + "dev.ergate.bench.jmh -prof gc"})
final class BenchCommand {

    @Option(names = "--backend", paramLabel = "NAME", converter = BackendConverter.class,
            description = "memory|memory-objects|redis|postgres|sqs (default memory; memory-objects: the in-memory "
                    + "queue without JSON)")
    private BackendKind backend = BackendKind.MEMORY;

    @Option(names = "--jobs", paramLabel = "N", description = "jobs in the throughput phase, pre-loaded (default 20000)")
    private int jobs = 20_000;

    @Option(names = "--steps", paramLabel = "N", description = "no-op steps per job (default 3)")
    private int steps = 3;

    @Option(names = "--workers", paramLabel = "N",
            description = "worker threads = backend connections, also for the baseline (default 4)")
    private int workers = 4;

    @Option(names = "--payload-bytes", paramLabel = "N",
            description = "size of the text each job carries through every step (default 100)")
    private int payloadBytes = 100;

    @Option(names = "--warmup-jobs", paramLabel = "N",
            description = "jobs run first and not reported, to warm the JIT (default jobs/10)")
    private @Nullable Integer warmupJobs;

    @Option(names = "--latency-jobs", paramLabel = "N", description = "jobs in the latency phase, streamed (default jobs/5)")
    private @Nullable Integer latencyJobs;

    @Option(names = "--in-flight", paramLabel = "N",
            description = "jobs in flight at once in the latency phase (default = workers)")
    private @Nullable Integer inFlight;

    @Option(names = "--baseline", paramLabel = "true|false", arity = "1", converter = OnOff.class,
            description = "run the raw baseline (default true)")
    private boolean baseline = true;

    @Option(names = "--no-baseline", description = "skip the raw baseline")
    private boolean noBaseline;

    @Option(names = "--timeout-seconds", paramLabel = "N", description = "give up on a phase after this long (default 600)")
    private int timeoutSeconds = 600;

    @Option(names = "--lease-seconds", paramLabel = "N", description = "the queue's lease time (default 30)")
    private int leaseSeconds = 30;

    @Mixin
    private BackendUrls urls = new BackendUrls();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    /** {@return a parser for a new command} */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * @param commandLine from {@link #commandLine()}
     * @param args the arguments, as {@code main} gets them
     * @param env the environment, normally {@link System#getenv()}
     * @return the options, or null when help was asked for
     * @throws ParameterException naming the offending argument or value
     */
    static @Nullable HarnessOptions parse(CommandLine commandLine, String[] args, Map<String, String> env) {
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            return null;
        }
        BenchCommand command = commandLine.getCommand();
        try {
            return command.toOptions(env);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, String.valueOf(e.getMessage()), e);
        }
    }

    private HarnessOptions toOptions(Map<String, String> env) {
        HarnessOptions.Builder b = HarnessOptions.builder().backend(backend).jobs(jobs).steps(steps).workers(workers)
                .payloadBytes(payloadBytes).baseline(baseline && !noBaseline)
                .timeout(Duration.ofSeconds(timeoutSeconds)).leaseTime(Duration.ofSeconds(leaseSeconds));
        if (warmupJobs != null) {
            b.warmupJobs(warmupJobs);
        }
        if (latencyJobs != null) {
            b.latencyJobs(latencyJobs);
        }
        if (inFlight != null) {
            b.inFlight(inFlight);
        }
        String redis = urls.redis(env);
        if (redis != null) {
            b.redisUrl(redis);
        }
        String postgres = urls.postgres(env);
        if (postgres != null) {
            b.postgresUrl(postgres);
        }
        b.sqsEndpoint(urls.sqs(env));
        return b.build();
    }

    /** {@code --backend}: a name of {@link BackendKind}, any case ({@code postgresql} too). */
    static final class BackendConverter implements ITypeConverter<BackendKind> {
        @Override
        public BackendKind convert(String value) {
            return BackendKind.byName(value).orElseThrow(() -> new TypeConversionException(
                    "must be one of " + BackendKind.names() + ", got '" + value + "'"));
        }
    }

    /** {@code --baseline}: true/on/yes or false/off/no. */
    static final class OnOff implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes" -> true;
                case "false", "off", "no" -> false;
                default -> throw new TypeConversionException("needs true or false, got '" + value + "'");
            };
        }
    }
}
