package dev.ergate.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code ergate} command: jobs, dead letters, stats, submit and the dashboard, on the
 * backend named by {@code --redis}, {@code --postgres} or {@code --sqs ... --store ...}. Every
 * line it prints passes through {@link Secrets#scrub}. Usage: the module README.
 */
@Command(name = "ergate", mixinStandardHelpOptions = true, version = "ergate 0.1.0-SNAPSHOT",
        description = "Operate Ergate jobs and dead letters on Redis, PostgreSQL or SQS.",
        subcommands = {JobsCommand.class, DeadLettersCommand.class, StatsCommand.class, SubmitCommand.class,
                DashboardCommand.class, CommandLine.HelpCommand.class},
        footer = {"", ExitCodes.HELP})
public final class ErgateCli implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--redis", paramLabel = "URI",
            description = "Redis: redis[s]://[[user]:password@]host[:port][/db]")
    @Nullable String redis;

    @Option(names = "--postgres", paramLabel = "URL",
            description = "PostgreSQL: postgres://user[:password]@host[:port]/db or jdbc:postgresql://...")
    @Nullable String postgres;

    @Option(names = "--sqs", paramLabel = "URI",
            description = "SQS: a queue URL or sqs://NAME?region=...; needs --store")
    @Nullable String sqs;

    @Option(names = "--store", paramLabel = "URI",
            description = "with --sqs: the job store, a redis:// URI or a PostgreSQL URL")
    @Nullable String store;

    @Option(names = "--namespace", paramLabel = "NS", description = "Redis key namespace (default: ergate)")
    @Nullable String namespace;

    @Option(names = "--queue", paramLabel = "NAME", description = "queue name (default: the adapter's default)")
    @Nullable String queue;

    @Option(names = "--schema", paramLabel = "SCHEMA", description = "PostgreSQL schema (default: the search path)")
    @Nullable String schema;

    @Option(names = "--table-prefix", paramLabel = "PREFIX", description = "PostgreSQL table prefix (default: ergate_)")
    @Nullable String tablePrefix;

    @Option(names = "--json", description = "print JSON for scripts instead of tables")
    boolean json;

    @Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    private final Map<String, String> environment;
    private final Secrets secrets;

    ErgateCli(Map<String, String> environment, Secrets secrets) {
        this.environment = environment;
        this.secrets = secrets;
    }

    /** Runs the command and exits with its {@link ExitCodes status}. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command in this JVM (what {@link #main} and the tests call).
     *
     * @return the exit status
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return run(args, environment, new OutputStreamWriter(out, StandardCharsets.UTF_8),
                new OutputStreamWriter(err, StandardCharsets.UTF_8));
    }

    static int run(String[] args, Map<String, String> environment, Writer out, Writer err) {
        Secrets secrets = Secrets.find(args, environment);
        PrintWriter scrubbedOut = new PrintWriter(new ScrubbingWriter(out, secrets), true);
        PrintWriter scrubbedErr = new PrintWriter(new ScrubbingWriter(err, secrets), true);
        try {
            CommandLine cli = new CommandLine(new ErgateCli(environment, secrets));
            cli.setOut(scrubbedOut);
            cli.setErr(scrubbedErr);
            cli.setUsageHelpWidth(Math.min(Table.terminalWidth(environment), 120));
            cli.setExecutionExceptionHandler(new Failures(scrubbedErr));
            return cli.execute(args);
        } finally {
            scrubbedOut.flush();
            scrubbedErr.flush();
        }
    }

    /** With no command: the usage, and a usage error status. */
    @Override
    public Integer call() {
        CommandLine commandLine = java.util.Objects.requireNonNull(spec).commandLine();
        commandLine.getErr().println("Give a command: jobs, dead-letters, stats, submit or dashboard.");
        commandLine.usage(commandLine.getErr());
        return ExitCodes.USAGE;
    }

    Map<String, String> environment() {
        return environment;
    }

    Secrets secrets() {
        return secrets;
    }

    int width() {
        return Table.terminalWidth(environment);
    }

    /**
     * @return a connection to the backend the options name
     * @throws CliException (usage) when no backend or two are named
     */
    Connection connect() {
        int named = (redis == null ? 0 : 1) + (postgres == null ? 0 : 1) + (sqs == null ? 0 : 1);
        if (named == 0) {
            throw new CliException(ExitCodes.USAGE,
                    "name a backend: --redis URI, --postgres URL, or --sqs URI --store URI");
        }
        if (named > 1) {
            throw new CliException(ExitCodes.USAGE, "name one backend only: --redis, --postgres or --sqs");
        }
        if (sqs != null && store == null) {
            throw new CliException(ExitCodes.USAGE,
                    "--sqs needs --store URI too (SQS keeps no job states): a redis:// URI or a PostgreSQL URL");
        }
        if (sqs == null && store != null) {
            throw new CliException(ExitCodes.USAGE, "--store goes with --sqs only");
        }
        Connection.Settings settings = new Connection.Settings(namespace, queue, schema, tablePrefix);
        if (redis != null) {
            return Connection.redis(redis, settings);
        }
        if (postgres != null) {
            return Connection.postgres(postgres, settings);
        }
        return Connection.sqs(java.util.Objects.requireNonNull(sqs), java.util.Objects.requireNonNull(store), settings);
    }
}
