package dev.ergate.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Everything one harness run measured, and its table. Immutable and thread-safe.
 *
 * @param options what was run
 * @param backend the backend, as its {@link BenchBackend#describe()} says
 * @param machine the machine: cores, Java, load before and after
 * @param phases the measured phases, throughput first
 * @param baseline the raw baseline, or {@code null} when skipped
 */
public record HarnessReport(
        HarnessOptions options,
        String backend,
        String machine,
        List<PhaseResult> phases,
        @Nullable BaselineResult baseline) {

    /** Copies the list. */
    public HarnessReport {
        phases = List.copyOf(phases);
    }

    /** {@return the phase of that name, if it ran} */
    public Optional<PhaseResult> phase(String name) {
        return phases.stream().filter(phase -> phase.name().equals(name)).findFirst();
    }

    /** {@return the throughput phase's steps per second over the baseline's, when both ran} */
    public OptionalDouble ratioToBaseline() {
        Optional<PhaseResult> throughput = phase(Harness.THROUGHPUT);
        if (baseline == null || throughput.isEmpty() || baseline.stepsPerSecond() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(throughput.get().stepsPerSecond() / baseline.stepsPerSecond());
    }

    /** {@return true when every job of every phase ended right} */
    public boolean allCompleted() {
        return phases.stream().allMatch(PhaseResult::allCompleted);
    }

    /** {@return the report as a text table} */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("Ergate bench: ").append(options).append('\n');
        out.append("backend: ").append(backend).append('\n');
        out.append("machine: ").append(machine).append('\n');
        out.append('\n');
        out.append(String.format(Locale.ROOT, "%-12s %8s %9s %12s %10s %9s %9s %10s %11s%n",
                "phase", "jobs", "in-flight", "steps/s", "jobs/s", "p50 ms", "p99 ms", "heap MiB", "alloc B/step"));
        for (PhaseResult phase : phases) {
            out.append(String.format(Locale.ROOT, "%-12s %8d %9d %12s %10s %9.3f %9.3f %10s %11s%n",
                    phase.name(), phase.jobs(), phase.inFlight(), number(phase.stepsPerSecond()),
                    number(phase.jobsPerSecond()), phase.p50Nanos() / 1e6, phase.p99Nanos() / 1e6,
                    phase.heapUsedBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f",
                            phase.heapUsedBytes() / (1024.0 * 1024.0)),
                    phase.allocatedBytesPerStep() < 0 ? "-" : number(phase.allocatedBytesPerStep())));
        }
        if (baseline != null) {
            out.append(String.format(Locale.ROOT, "%-12s %8s %9d %12s %10s %9s %9s %10s %11s%n",
                    "raw baseline", "-", options.workers(), number(baseline.stepsPerSecond()), "-", "-", "-", "-", "-"));
        }
        out.append('\n');
        if (baseline != null) {
            out.append("raw baseline step: ").append(baseline.description()).append('\n');
        }
        OptionalDouble ratio = ratioToBaseline();
        if (ratio.isPresent()) {
            out.append(String.format(Locale.ROOT, "ergate throughput / raw baseline: %.1f %%%n", ratio.getAsDouble() * 100));
        }
        for (PhaseResult phase : phases) {
            out.append(String.format(Locale.ROOT,
                    "%s: %d of %d jobs completed right, %d wrong, %d step bodies run, %d latencies timed"
                            + " (%d of them from the start of an atomic finish still running: upper bounds)%n",
                    phase.name(), phase.completed(), phase.jobs(), phase.wrong(), phase.stepsStarted(),
                    phase.latencyCount(), phase.timedFromFinishStart()));
            if (phase.firstProblem() != null) {
                out.append("  first problem: ").append(phase.firstProblem()).append('\n');
            }
        }
        out.append("p50/p99: step-to-step latency, from a step's state written to the job's next step starting;"
                + " in the throughput phase it is mostly time spent queued behind the other pre-loaded jobs.\n");
        return out.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
