package dev.ergate.examples;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The demo's command line (picocli), turned into {@link DemoOptions}. Not thread-safe: one per parse. */
@Command(name = "ergate-demo", sortOptions = false, customSynopsis = "java -jar ergate-demo.jar [options]",
        description = {"", "Runs a batch of orders (validate, reserve stock, charge, ship or e-mail a download link)",
            "through Ergate workers and shows their progress.", ""})
final class DemoCommand {

    @Option(names = "--backend", paramLabel = "NAME", converter = BackendName.class,
            description = "memory (default), redis, postgres or sqs")
    private String backend = "memory";

    @Option(names = "--url", paramLabel = "URL", description = {"the backend's address; default: ERGATE_REDIS_URL, "
            + "ERGATE_POSTGRES_URL", "or ERGATE_SQS_ENDPOINT from the environment, else the local default"})
    private @Nullable String url;

    @Option(names = "--jobs", paramLabel = "N", description = "orders to submit, 1 to 1000000 (default 200)")
    private int jobs = 200;

    @Option(names = "--concurrency", paramLabel = "N", description = "worker threads, 1 to 256 (default 8)")
    private int concurrency = 8;

    @Option(names = "--step-millis", paramLabel = "N",
            description = "how long each step pretends to work, 0 to 10000 ms (default 20)")
    private long stepMillis = 20;

    @Option(names = "--seed", paramLabel = "N", description = "makes the batch repeatable (default 42)")
    private long seed = 42;

    @Option(names = "--metrics", description = "print a summary read from the Micrometer meters at the end")
    private boolean metrics;

    @Option(names = "--dashboard", paramLabel = "PORT", arity = "0..1", fallbackValue = "8080",
            description = {"serve the dashboard on 127.0.0.1:PORT (default 8080; 0 for any free one)",
                "to watch the run live; from a terminal it stays up after the summary until Enter"})
    private @Nullable Integer dashboard;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    /** {@return a parser for a new command} */
    static CommandLine commandLine() {
        return new CommandLine(new DemoCommand());
    }

    /**
     * @param commandLine from {@link #commandLine()}
     * @param args the command line
     * @return the options, or null when help was asked for
     * @throws ParameterException naming the option at fault
     */
    static @Nullable DemoOptions parse(CommandLine commandLine, String... args) {
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            return null;
        }
        DemoCommand command = commandLine.getCommand();
        check(commandLine, "--jobs", command.jobs, 1, 1_000_000);
        check(commandLine, "--concurrency", command.concurrency, 1, 256);
        check(commandLine, "--step-millis", command.stepMillis, 0, 10_000);
        if (command.dashboard != null) {
            check(commandLine, "--dashboard", command.dashboard, 0, 65_535);
        }
        return new DemoOptions(command.backend, command.url, command.jobs, command.concurrency,
                Duration.ofMillis(command.stepMillis), command.seed, command.metrics, command.dashboard);
    }

    private static void check(CommandLine commandLine, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(commandLine,
                    "option " + option + " must be within " + min + ".." + max + ", got " + value);
        }
    }

    /** {@code --backend}: one of {@link DemoBackends#names()}, any case. */
    static final class BackendName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.trim().toLowerCase(Locale.ROOT);
            if (!DemoBackends.names().contains(name)) {
                throw new TypeConversionException("unknown backend '" + value + "'; choose one of "
                        + DemoBackends.names());
            }
            return name;
        }
    }
}
