package dev.ergate.fault;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run left behind: jobs that did not end COMPLETED with the right result ("lost"), and
 * step executions that ran more than once, from the step logs. Immutable.
 *
 * @param lost descriptions of every job that is missing, not final, or wrong
 * @param duplicates step executions beyond the first, summed over all (job, step)
 * @param repeated the (job, step) pairs that ran more than once, with their counts
 */
record Outcome(List<String> lost, int duplicates, Map<String, Integer> repeated) {

    static String jobId(int n) {
        return "job-" + n;
    }

    /** @return the jobs {@code 0..jobs-1} that did not end COMPLETED with the expected result */
    static List<String> lost(JobStore store, int jobs) {
        List<String> lost = new ArrayList<>();
        for (int n = 0; n < jobs; n++) {
            Optional<Job> found = store.find(JobId.of(jobId(n)));
            if (found.isEmpty()) {
                lost.add(jobId(n) + ": not in the store");
            } else if (found.get().status() != JobStatus.COMPLETED) {
                lost.add(jobId(n) + ": " + found.get().status());
            } else if (found.get().lastReturnValue().asInt() != FaultWorkflow.expected(n)) {
                lost.add(jobId(n) + ": result " + found.get().lastReturnValue());
            }
        }
        return lost;
    }

    /** @return how many of the jobs are in a final state */
    static int finalCount(JobStore store, int jobs) {
        int done = 0;
        for (int n = 0; n < jobs; n++) {
            Optional<Job> found = store.find(JobId.of(jobId(n)));
            if (found.isPresent() && found.get().status().isFinal()) {
                done++;
            }
        }
        return done;
    }

    /** Counts the STARTs per (job, step) over all step logs. */
    static Outcome of(List<String> lost, List<StepLog.Event> events) {
        Map<String, Integer> starts = new HashMap<>();
        for (StepLog.Event e : events) {
            if (e.kind().equals("START")) {
                starts.merge(e.jobId() + ":" + e.step(), 1, Integer::sum);
            }
        }
        Map<String, Integer> repeated = new HashMap<>();
        int duplicates = 0;
        for (Map.Entry<String, Integer> entry : starts.entrySet()) {
            if (entry.getValue() > 1) {
                repeated.put(entry.getKey(), entry.getValue());
                duplicates += entry.getValue() - 1;
            }
        }
        return new Outcome(List.copyOf(lost), duplicates, Map.copyOf(repeated));
    }

    /** @return how many (job, step) pairs ran at least once */
    static long distinctSteps(List<StepLog.Event> events) {
        return events.stream().filter(e -> e.kind().equals("START")).map(e -> e.jobId() + ":" + e.step())
                .distinct().count();
    }
}
