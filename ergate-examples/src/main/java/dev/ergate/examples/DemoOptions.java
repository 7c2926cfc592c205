package dev.ergate.examples;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The demo's command-line options, validated.
 *
 * @param backend which backend runs the jobs: {@code memory} (default), {@code redis},
 *     {@code postgres} or {@code sqs}
 * @param url where the backend is, or {@code null} to take it from the environment or the
 *     backend's local default
 * @param jobs how many orders to submit, 1 to 1,000,000
 * @param concurrency how many worker threads run steps at once, 1 to 256
 * @param stepTime how long each step pretends to work (a call to a remote service)
 * @param seed makes the batch of orders, and so the summary, repeatable
 * @param help whether {@code --help} was asked for
 * @param metrics whether {@code --metrics} asked for the Micrometer summary at the end
 */
record DemoOptions(String backend, @Nullable String url, int jobs, int concurrency, Duration stepTime, long seed,
        boolean help, boolean metrics) {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar ergate-demo.jar [options]",
            "",
            "Runs a batch of orders (validate, reserve stock, charge, ship or e-mail a download link)",
            "through Ergate workers and shows their progress.",
            "",
            "Options:",
            "  --backend NAME      memory (default), redis, postgres or sqs",
            "  --url URL           the backend's address; default: ERGATE_REDIS_URL, ERGATE_POSTGRES_URL",
            "                      or ERGATE_SQS_ENDPOINT from the environment, else the local default",
            "  --jobs N            orders to submit, 1 to 1000000 (default 200)",
            "  --concurrency N     worker threads, 1 to 256 (default 8)",
            "  --step-millis N     how long each step pretends to work, 0 to 10000 ms (default 20)",
            "  --seed N            makes the batch repeatable (default 42)",
            "  --metrics           print a summary read from the Micrometer meters at the end",
            "  -h, --help          show this help");

    private static final java.util.Set<String> VALUED_OPTIONS =
            java.util.Set.of("--backend", "--url", "--jobs", "--concurrency", "--step-millis", "--seed");

    /** Checks the values. */
    DemoOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(stepTime, "stepTime");
    }

    /** @return the defaults: memory backend, 200 jobs, 8 threads, 20 ms per step, seed 42 */
    static DemoOptions defaults() {
        return new DemoOptions("memory", null, 200, 8, Duration.ofMillis(20), 42, false, false);
    }

    /**
     * @param args the command line
     * @return the options
     * @throws UsageException naming the option at fault
     */
    static DemoOptions parse(String... args) throws UsageException {
        DemoOptions o = defaults();
        String backend = o.backend;
        String url = o.url;
        int jobs = o.jobs;
        int concurrency = o.concurrency;
        long stepMillis = o.stepTime.toMillis();
        long seed = o.seed;
        boolean help = false;
        boolean metrics = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inline = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                if (inline != null) {
                    throw new UsageException("option --help takes no value");
                }
                help = true;
                continue;
            }
            if (arg.equals("--metrics")) {
                if (inline != null) {
                    throw new UsageException("option --metrics takes no value");
                }
                metrics = true;
                continue;
            }
            if (!VALUED_OPTIONS.contains(arg)) {
                throw new UsageException("unknown option '" + args[i] + "'");
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("option " + arg + " needs a value");
            }
            switch (arg) {
                case "--backend" -> backend = value.trim().toLowerCase(Locale.ROOT);
                case "--url" -> url = value;
                case "--jobs" -> jobs = (int) number(arg, value, 1, 1_000_000);
                case "--concurrency" -> concurrency = (int) number(arg, value, 1, 256);
                case "--step-millis" -> stepMillis = number(arg, value, 0, 10_000);
                default -> seed = number(arg, value, Long.MIN_VALUE, Long.MAX_VALUE);
            }
        }
        if (!DemoBackends.names().contains(backend)) {
            throw new UsageException("unknown backend '" + backend + "'; choose one of " + DemoBackends.names());
        }
        return new DemoOptions(backend, url, jobs, concurrency, Duration.ofMillis(stepMillis), seed, help, metrics);
    }

    private static long number(String option, String text, long min, long max) throws UsageException {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " needs a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new UsageException("option " + option + " must be within " + min + ".." + max + ", got " + value);
        }
        return value;
    }
}
