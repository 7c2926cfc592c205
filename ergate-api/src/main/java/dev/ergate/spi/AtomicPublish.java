package dev.ergate.spi;

import dev.ergate.Job;

/**
 * Publishes a claimed job in one transaction: puts it on the queue and records it QUEUED (dropping
 * the claim) only while the source still holds its claim, all or nothing, so a publisher whose
 * claim ran out and was taken by another can't put a second message for the job. Obtained from
 * {@link JobSource#atomicPublish(JobQueue)}. Thread-safe.
 */
@FunctionalInterface
public interface AtomicPublish {

    /**
     * @param queued the job as {@link JobSource#claimDue} handed it out, with status QUEUED
     * @return {@code true} if it was put and recorded; {@code false} if this source no longer held
     *     its claim (it ran out and another publisher took it, or a newer state was written):
     *     nothing was put or written
     * @throws JobTooLargeException if the job is over the queue's size limit; nothing was changed
     * @throws ErgateBackendException if the backend fails; then nothing was changed, unless the
     *     failure hid a commit (report it with {@link JobSource#publishFailed}, which then does nothing)
     */
    boolean publish(Job queued);
}
