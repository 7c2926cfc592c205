package dev.ergate.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * The runnable jar's entry point: {@code java -jar ergate-bench.jar [options]} runs the {@link
 * Harness} and prints its table; {@code java -jar ergate-bench.jar jmh [JMH options]} runs the
 * JMH benchmarks (the same as {@code java -cp ergate-bench.jar org.openjdk.jmh.Main}); {@code
 * java -jar ergate-bench.jar peer [options]} runs the {@link PeerWorkload} and prints its RESULT
 * line. Exit
 * status: 0 when every job completed right, 1 when a phase failed or a job ended wrong, 2 for a
 * bad command line. Stateless and thread-safe.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * @param args the command line
     * @throws Exception only from JMH
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int status = args.length > 0 && args[0].equals("peer")
                ? runPeer(Arrays.copyOfRange(args, 1, args.length), System.out, System.err, System.getenv())
                : run(args, System.out, System.err, System.getenv());
        System.exit(status);
    }

    /**
     * Runs the harness as the command line asks, printing progress and the table, without
     * exiting the JVM.
     *
     * @param args the command line
     * @param out where the table goes
     * @param err where progress and problems go
     * @param env the environment (backend locations)
     * @return the exit status: 0 all right, 1 failed, 2 bad command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        try {
            HarnessReport report = execute(args, out, err, env);
            return report == null || report.allCompleted() ? 0 : 1;
        } catch (ParameterException e) {
            err.println("ergate-bench: " + e.getMessage());
            err.print(e.getCommandLine().getUsageMessage());
            return 2;
        } catch (Exception e) {
            err.println("ergate-bench: the run failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * Parses the command line, runs the harness and prints its table to {@code out}; prints the
     * help to {@code err} instead when asked for.
     *
     * @param args the command line
     * @param out where the table goes
     * @param err where progress goes
     * @param env the environment (backend locations)
     * @return the report, or null after printing the help
     * @throws ParameterException if the command line is wrong
     * @throws Exception if the run fails
     */
    public static @Nullable HarnessReport execute(String[] args, PrintStream out, PrintStream err,
            Map<String, String> env) throws Exception {
        CommandLine commandLine = BenchCommand.commandLine();
        HarnessOptions options = BenchCommand.parse(commandLine, args, env);
        if (options == null) {
            err.print(commandLine.getUsageMessage());
            return null;
        }
        HarnessReport report = new Harness(options, err).run();
        out.print(report.render());
        out.flush();
        return report;
    }

    /**
     * Runs the peers' burn-down as the command line (after {@code peer}) asks and prints its
     * DETAIL and RESULT lines to {@code out}, without exiting the JVM.
     *
     * @param args the command line after {@code peer}
     * @param out where the RESULT line goes
     * @param err where progress and problems go
     * @param env the environment (backend locations)
     * @return the exit status: 0 every job COMPLETED, 1 failed or a job not COMPLETED, 2 bad command line
     */
    public static int runPeer(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine commandLine = PeerCommand.commandLine();
        try {
            PeerOptions options = PeerCommand.parse(commandLine, args, env);
            if (options == null) {
                err.print(commandLine.getUsageMessage());
                return 0;
            }
            PeerResult result = new PeerWorkload(options, err).run();
            out.println(result.detailLine());
            out.println(result.resultLine());
            out.flush();
            if (!result.allCompleted()) {
                err.println("ergate-bench peer: not every job ended COMPLETED: " + result.detailLine());
                return 1;
            }
            return 0;
        } catch (ParameterException e) {
            err.println("ergate-bench peer: " + e.getMessage());
            err.print(commandLine.getUsageMessage());
            return 2;
        } catch (Exception e) {
            err.println("ergate-bench peer: the run failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
