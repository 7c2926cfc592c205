package dev.ergate.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's {@code --metrics} table, read back from the Micrometer registry that {@code
 * ergate-micrometer} filled during the run: per step, how many ran and how they ended and how
 * long they took; then jobs end to end, queue wait and backend trouble. Stateless.
 */
final class MetricsSummary {

    private static final String[] OUTCOMES = {"next", "completed", "aborted", "failed", "retried"};

    private MetricsSummary() {
    }

    static String render(MeterRegistry registry) {
        StringBuilder out = new StringBuilder("Metrics (ergate-micrometer):\n");
        out.append(String.format(Locale.ROOT, "  %-16s %7s", "step", "runs"));
        for (String outcome : OUTCOMES) {
            out.append(String.format(Locale.ROOT, " %9s", outcome));
        }
        out.append(String.format(Locale.ROOT, " %9s %9s%n", "mean ms", "max ms"));

        Map<String, long[]> byStep = new TreeMap<>();
        Map<String, double[]> timeByStep = new TreeMap<>();
        for (Timer timer : Search.in(registry).name("ergate.step.duration").timers()) {
            String step = tag(timer, "step");
            String outcome = tag(timer, "outcome");
            long[] counts = byStep.computeIfAbsent(step, s -> new long[OUTCOMES.length + 1]);
            counts[OUTCOMES.length] += timer.count();
            for (int i = 0; i < OUTCOMES.length; i++) {
                if (OUTCOMES[i].equals(outcome)) {
                    counts[i] += timer.count();
                }
            }
            double[] time = timeByStep.computeIfAbsent(step, s -> new double[2]);
            time[0] += timer.totalTime(TimeUnit.MILLISECONDS);
            time[1] = Math.max(time[1], timer.max(TimeUnit.MILLISECONDS));
        }
        byStep.forEach((step, counts) -> {
            out.append(String.format(Locale.ROOT, "  %-16s %7d", step, counts[OUTCOMES.length]));
            for (int i = 0; i < OUTCOMES.length; i++) {
                out.append(String.format(Locale.ROOT, " %9d", counts[i]));
            }
            double[] time = timeByStep.getOrDefault(step, new double[2]);
            out.append(String.format(Locale.ROOT, " %9.1f %9.1f%n", time[0] / Math.max(1, counts[OUTCOMES.length]),
                    time[1]));
        });

        out.append("  jobs:");
        for (Counter counter : Search.in(registry).name("ergate.jobs.finished").counters()) {
            out.append(String.format(Locale.ROOT, " %s %.0f", tag(counter, "outcome"), counter.count()));
        }
        out.append(timing(registry, "ergate.job.duration", "; end to end"));
        out.append(timing(registry, "ergate.step.queue.wait", "; queue wait")).append('\n');
        out.append(String.format(Locale.ROOT, "  backend retries %.0f, backend failures %.0f, leases lost %.0f,"
                        + " dead letters %.0f%n",
                total(registry, "ergate.backend.retries"), total(registry, "ergate.backend.failures"),
                total(registry, "ergate.leases.lost"), total(registry, "ergate.dead.letters")));
        return out.toString();
    }

    private static String timing(MeterRegistry registry, String name, String label) {
        long count = 0;
        double total = 0;
        double max = 0;
        for (Timer timer : Search.in(registry).name(name).timers()) {
            count += timer.count();
            total += timer.totalTime(TimeUnit.MILLISECONDS);
            max = Math.max(max, timer.max(TimeUnit.MILLISECONDS));
        }
        return count == 0 ? "" : String.format(Locale.ROOT, "%s mean %.1f ms, max %.1f ms", label, total / count, max);
    }

    private static String tag(Meter meter, String key) {
        return Objects.requireNonNullElse(meter.getId().getTag(key), "?");
    }

    private static double total(MeterRegistry registry, String name) {
        return Search.in(registry).name(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
