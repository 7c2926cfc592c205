package dev.ergate.examples;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.StepResult;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the batch through the worker's listener: each job's progress and final state, steps
 * run, retries. Renders a progress line and the final summary.
 *
 * <p>Thread-safe: worker threads report, the main thread renders.
 */
final class ProgressBoard implements ErgateListener {

    private static final int BAR_WIDTH = 30;

    private final int jobs;
    private final Map<JobId, Double> percent = new ConcurrentHashMap<>();
    private final Map<JobId, Job> ended = new ConcurrentHashMap<>();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final CountDownLatch allEnded;

    /** @param jobs how many jobs the batch has */
    ProgressBoard(int jobs) {
        this.jobs = jobs;
        this.allEnded = new CountDownLatch(jobs);
    }

    @Override
    public void stepFinished(StepResult result) {
        if (result.running().isPresent()) {
            steps.incrementAndGet();
        }
        if (result.outcome() == StepResult.Outcome.RETRY_SCHEDULED) {
            retries.incrementAndGet();
        }
        result.state().ifPresent(state -> {
            percent.merge(state.id(), state.percentCompleted(), Math::max);
            if (state.status().isFinal() && ended.putIfAbsent(state.id(), state) == null) {
                allEnded.countDown();
            }
        });
    }

    /**
     * Waits until every job has ended, or the time is up.
     *
     * @return true if every job has ended
     */
    boolean awaitAllEnded(Duration timeout) throws InterruptedException {
        return allEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return how many jobs have ended} */
    int endedCount() {
        return ended.size();
    }

    /** {@return how many step executions finished} */
    long steps() {
        return steps.get();
    }

    /** {@return how many jobs ended in each final status} */
    Map<JobStatus, Integer> byStatus() {
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : new JobStatus[] {JobStatus.COMPLETED, JobStatus.ABORTED, JobStatus.FAILED,
                JobStatus.CANCELLED}) {
            counts.put(status, 0);
        }
        for (Job job : ended.values()) {
            counts.merge(job.status(), 1, Integer::sum);
        }
        return counts;
    }

    /** {@return the progress line: a bar (ended jobs count as done), the percent, and counts} */
    String progressLine() {
        double sum = 0;
        for (Map.Entry<JobId, Double> entry : percent.entrySet()) {
            sum += ended.containsKey(entry.getKey()) ? 100.0 : entry.getValue();
        }
        double overall = jobs == 0 ? 100.0 : sum / jobs;
        int filled = (int) Math.round(overall / 100.0 * BAR_WIDTH);
        Map<JobStatus, Integer> counts = byStatus();
        int running = percent.size() - ended.size();
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%  completed %d  aborted %d  failed %d  in progress %d",
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), overall, counts.get(JobStatus.COMPLETED),
                counts.get(JobStatus.ABORTED), counts.get(JobStatus.FAILED), running);
    }

    /**
     * @param elapsed the run's wall time
     * @return the summary lines
     */
    String summary(Duration elapsed) {
        Map<JobStatus, Integer> counts = byStatus();
        Map<String, Integer> completed = new TreeMap<>();
        Map<String, Integer> aborted = new TreeMap<>();
        Map<String, Integer> failed = new TreeMap<>();
        for (Job job : ended.values()) {
            String why = job.exceptionTraceback() == null ? "" : job.exceptionTraceback();
            switch (job.status()) {
                case COMPLETED -> completed.merge(job.lastReturnValue().asText().startsWith("shipped")
                        ? "shipped" : "download sent", 1, Integer::sum);
                case ABORTED -> aborted.merge(why.contains(":") ? why.substring(0, why.indexOf(':')) : why, 1,
                        Integer::sum);
                case FAILED -> failed.merge(why.contains("CardDeclinedException") ? "card declined" : "error", 1,
                        Integer::sum);
                default -> { }
            }
        }
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        String nl = System.lineSeparator();
        return String.format(Locale.ROOT, "Done in %.2f s: %d jobs, %d steps, %.1f steps/s, %d charges retried%n",
                seconds, ended.size(), steps.get(), steps.get() / seconds, retries.get())
                + String.format(Locale.ROOT, "  completed %5d %s%n", counts.get(JobStatus.COMPLETED), details(completed))
                + String.format(Locale.ROOT, "  aborted   %5d %s%n", counts.get(JobStatus.ABORTED), details(aborted))
                + String.format(Locale.ROOT, "  failed    %5d %s", counts.get(JobStatus.FAILED), details(failed))
                + nl;
    }

    private static String details(Map<String, Integer> reasons) {
        if (reasons.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("(");
        reasons.forEach((reason, count) -> text.append(text.length() > 1 ? ", " : "").append(reason).append(' ')
                .append(count));
        return text.append(')').toString();
    }
}
