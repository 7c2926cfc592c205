package dev.ergate.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long final jobs and dead letters are kept before a worker's retention runner deletes them
 * ({@link JobAdmin#purgeJobs}, {@link JobAdmin#purgeDeadLetters}). Off unless configured: {@link
 * #none()} keeps everything.
 *
 * @param finalJobsOlderThan delete final jobs last written longer ago than this; {@code null} keeps them
 * @param deadLettersOlderThan delete dead letters given up on longer ago than this; {@code null} keeps them
 * @param interval how often the runner looks
 */
public record RetentionPolicy(@Nullable Duration finalJobsOlderThan, @Nullable Duration deadLettersOlderThan,
        Duration interval) {

    /** The interval when none is given. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    /** @throws IllegalArgumentException if a duration is zero or negative */
    public RetentionPolicy {
        Objects.requireNonNull(interval, "interval");
        requirePositive("finalJobsOlderThan", finalJobsOlderThan);
        requirePositive("deadLettersOlderThan", deadLettersOlderThan);
        requirePositive("interval", interval);
    }

    private static void requirePositive(String name, @Nullable Duration duration) {
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /** {@return the policy that deletes nothing} */
    public static RetentionPolicy none() {
        return new RetentionPolicy(null, null, DEFAULT_INTERVAL);
    }

    /**
     * @param finalJobsOlderThan the age after which final jobs go
     * @return a copy that deletes final jobs older than that
     */
    public RetentionPolicy withFinalJobsOlderThan(@Nullable Duration finalJobsOlderThan) {
        return new RetentionPolicy(finalJobsOlderThan, deadLettersOlderThan, interval);
    }

    /**
     * @param deadLettersOlderThan the age after which dead letters go
     * @return a copy that deletes dead letters older than that
     */
    public RetentionPolicy withDeadLettersOlderThan(@Nullable Duration deadLettersOlderThan) {
        return new RetentionPolicy(finalJobsOlderThan, deadLettersOlderThan, interval);
    }

    /**
     * @param interval how often the runner looks
     * @return a copy with that interval
     */
    public RetentionPolicy withInterval(Duration interval) {
        return new RetentionPolicy(finalJobsOlderThan, deadLettersOlderThan, interval);
    }

    /** {@return whether the policy deletes anything} */
    public boolean isEnabled() {
        return finalJobsOlderThan != null || deadLettersOlderThan != null;
    }

    /** {@return the age after which final jobs go, if they do} */
    public Optional<Duration> finalJobs() {
        return Optional.ofNullable(finalJobsOlderThan);
    }

    /** {@return the age after which dead letters go, if they do} */
    public Optional<Duration> deadLetters() {
        return Optional.ofNullable(deadLettersOlderThan);
    }
}
