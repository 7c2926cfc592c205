package dev.ergate;

import java.util.Optional;

/**
 * How {@link JobStatus} is coded as an integer. Python Ergate's {@code JobStatus} is an {@code
 * IntEnum} whose codes changed between releases, so an integer can only be read once the release
 * is known: that choice is this dialect. The codes per dialect: DESIGN.md, "The model".
 */
public enum StatusDialect {
    /** Names only: an integer status is an error. Ergate for Java's own default. */
    NAMES_ONLY(new JobStatus[0]),
    /** Python Ergate of June 2024. */
    PYTHON_2024(new JobStatus[] {
        JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED,
        JobStatus.SCHEDULED, JobStatus.FAILED, JobStatus.ABORTED
    }),
    /** Python Ergate of 2025 (the worker/publisher split). */
    PYTHON_2025(new JobStatus[] {
        JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED,
        JobStatus.FAILED, JobStatus.ABORTED, JobStatus.PENDING, JobStatus.CANCELLING,
        JobStatus.CANCELLED
    });

    /** byCode[i] is the status with code i + 1. */
    private final JobStatus[] byCode;

    StatusDialect(JobStatus[] byCode) {
        this.byCode = byCode;
    }

    /**
     * @param code an integer status code
     * @return the status it stands for in this dialect, or empty when it stands for none
     */
    public Optional<JobStatus> status(long code) {
        if (code < 1 || code > byCode.length) {
            return Optional.empty();
        }
        return Optional.of(byCode[(int) code - 1]);
    }

    /**
     * @param status a status
     * @return its integer code in this dialect, or empty when the dialect has none for it
     */
    public Optional<Integer> code(JobStatus status) {
        for (int i = 0; i < byCode.length; i++) {
            if (byCode[i] == status) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }
}
