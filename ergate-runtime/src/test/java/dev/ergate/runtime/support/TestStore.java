package dev.ergate.runtime.support;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StepStart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory store for the runtime's own tests, keeping every update in order. */
public class TestStore implements JobStore {

    private final Map<JobId, Job> jobs = new LinkedHashMap<>();
    private final List<Job> updates = new ArrayList<>();
    public final AtomicInteger failUpdates = new AtomicInteger();
    public final AtomicInteger failUpdatesPermanently = new AtomicInteger();

    @Override
    public synchronized void update(Job job) {
        if (failUpdatesPermanently.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ErgateBackendException("test store: table missing", null, false);
        }
        if (failUpdates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ErgateBackendException("test store: update failed", null, true);
        }
        Job stored = jobs.get(job.id());
        Job toStore = job;
        if (stored != null && stored.status() == JobStatus.CANCELLING && !job.status().isFinal()) {
            toStore = job.toBuilder().status(JobStatus.CANCELLING).build();
        }
        jobs.put(job.id(), toStore);
        updates.add(job);
    }

    /** The interface's find + update, atomic under this store's lock as a real store's is. */
    @Override
    public synchronized StepStart startStep(Job running) {
        return JobStore.super.startStep(running);
    }

    @Override
    public synchronized Optional<Job> find(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized JobPage list(JobQuery query) {
        List<Job> matching = new ArrayList<>();
        for (Job job : jobs.values()) {
            if ((query.status() == null || job.status() == query.status())
                    && (query.workflowName() == null || job.workflowName().equals(query.workflowName()))) {
                matching.add(job);
            }
        }
        return new JobPage(matching, null);
    }

    @Override
    public synchronized boolean requestCancel(JobId id) {
        Job job = jobs.get(id);
        if (job == null || job.status().isFinal()) {
            return false;
        }
        jobs.put(id, job.toBuilder().status(JobStatus.CANCELLING).build());
        return true;
    }

    public synchronized List<Job> updates() {
        return List.copyOf(updates);
    }

    public synchronized List<Job> updatesOf(JobId id) {
        List<Job> result = new ArrayList<>();
        for (Job job : updates) {
            if (id.equals(job.id())) {
                result.add(job);
            }
        }
        return result;
    }

    public synchronized Map<JobId, Job> all() {
        return Map.copyOf(jobs);
    }

    public synchronized long count(JobStatus status) {
        return jobs.values().stream().filter(j -> j.status() == status).count();
    }
}
