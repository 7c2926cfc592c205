package dev.ergate.runtime;

import dev.ergate.Job;

/**
 * Changes each job an {@link ErgateClient} submits, just before it is recorded and queued: adds
 * an extra field such as a trace context or a submit time. Registered with {@link
 * ErgateClient.Builder#submitHook}; hooks run in registration order. Must be thread-safe.
 */
@FunctionalInterface
public interface SubmitHook {

    /**
     * @param job the job about to be submitted: status QUEUED, id set
     * @return the job to submit instead, with the same id (usually {@code job.toBuilder()
     *     .extraField(..).build()}), or {@code job} itself
     */
    Job beforeSubmit(Job job);
}
