package dev.ergate.runtime.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a schedule's ticks fall: a cron expression in a time zone, or a fixed interval counted
 * from the epoch (so every process computes the same instants). Cron times are read in the
 * zone. As in Vixie cron, a cron at fixed hours that names a local time the spring-forward change
 * skips fires once, at the change, and one that names a local time the fall-back change repeats
 * fires once, at its first occurrence; a cron for every hour ({@code *}) follows real time.
 * Immutable.
 */
sealed interface ScheduleTiming {

    /** Five-field Unix cron (minute hour day-of-month month day-of-week). */
    CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /**
     * @param after a time
     * @return the first tick strictly after it, or empty when there is none (a cron for a date
     *     that never comes)
     */
    Optional<Instant> next(Instant after);

    /**
     * A tick before a time, walking backwards: only a starting point for {@link #next} to walk
     * forward from (around a daylight-saving change it may differ from what {@code next} gives).
     *
     * @param before a time
     * @return a tick strictly before it, or empty when there is none
     */
    Optional<Instant> roughPrevious(Instant before);

    /**
     * @param expression a five-field Unix cron expression
     * @param zone a zone id such as {@code Europe/Berlin}
     * @return the timing
     * @throws IllegalArgumentException naming the field when either is invalid
     */
    static CronTiming cron(String expression, String zone) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("schedule zone '" + zone + "' is not a known time zone: "
                    + e.getMessage(), e);
        }
        Cron cron;
        try {
            cron = UNIX.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule cron '" + expression
                    + "' is not a five-field Unix cron expression (minute hour day-of-month month day-of-week): "
                    + e.getMessage(), e);
        }
        // Vixie cron's rule: only a cron at fixed hours is moved out of a skipped or repeated hour
        boolean fixedHours = !(cron.retrieve(CronFieldName.HOUR).getExpression() instanceof Always);
        return new CronTiming(expression, zoneId, ExecutionTime.forCron(cron), fixedHours);
    }

    /**
     * @param every the interval
     * @return the timing
     * @throws IllegalArgumentException when the interval is under a second or not whole milliseconds
     */
    static IntervalTiming every(Duration every) {
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("schedule interval must be at least 1 second, got " + every);
        }
        if (every.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("schedule interval must be whole milliseconds, got " + every);
        }
        return new IntervalTiming(every);
    }

    /** Ticks at every multiple of the interval since the epoch. */
    record IntervalTiming(Duration every) implements ScheduleTiming {
        @Override
        public Optional<Instant> next(Instant after) {
            long step = every.toMillis();
            long k = Math.floorDiv(after.toEpochMilli(), step) + 1;
            return Optional.of(Instant.ofEpochMilli(k * step));
        }

        @Override
        public Optional<Instant> roughPrevious(Instant before) {
            long step = every.toMillis();
            long k = Math.floorDiv(before.toEpochMilli() - 1, step);
            return Optional.of(Instant.ofEpochMilli(k * step));
        }

        @Override
        public String toString() {
            return "every " + every;
        }
    }

    /** Ticks where the cron matches the local time in its zone. */
    record CronTiming(String expression, ZoneId zone, ExecutionTime execution, boolean fixedHours)
            implements ScheduleTiming {
        @Override
        public Optional<Instant> next(Instant after) {
            Optional<ZonedDateTime> found = execution.nextExecution(after.atZone(zone));
            while (fixedHours && found.isPresent() && isRepeat(found.get())) {
                found = execution.nextExecution(found.get());
            }
            Optional<Instant> regular = found.map(ZonedDateTime::toInstant);
            if (!fixedHours) {
                return regular;
            }
            Instant gap = gapTick(after, regular.orElse(null));
            return gap != null ? Optional.of(gap) : regular;
        }

        /** Whether the time is the second occurrence of a local time the fall-back repeats. */
        private boolean isRepeat(ZonedDateTime time) {
            ZoneOffsetTransition overlap = zone.getRules().getTransition(time.toLocalDateTime());
            return overlap != null && overlap.isOverlap() && time.getOffset().equals(overlap.getOffsetAfter());
        }

        @Override
        public Optional<Instant> roughPrevious(Instant before) {
            return execution.lastExecution(before.atZone(zone)).map(ZonedDateTime::toInstant);
        }

        /**
         * The first spring-forward change after {@code after} (and before {@code regular}) whose
         * skipped local hour holds a time the cron matches; such a tick fires at the change.
         */
        private @Nullable Instant gapTick(Instant after, @Nullable Instant regular) {
            ZoneRules rules = zone.getRules();
            ZoneOffsetTransition transition = rules.nextTransition(after);
            while (transition != null && (regular == null || transition.getInstant().isBefore(regular))) {
                if (transition.isGap() && matchesInGap(transition)) {
                    return transition.getInstant();
                }
                if (regular == null) {
                    return null;    // no regular tick ever: one look is enough
                }
                transition = rules.nextTransition(transition.getInstant());
            }
            return null;
        }

        private boolean matchesInGap(ZoneOffsetTransition gap) {
            ZoneOffset before = gap.getOffsetBefore();
            LocalDateTime start = gap.getDateTimeBefore();
            // read the skipped local hour in the old offset, where its times exist
            Optional<ZonedDateTime> match = execution.nextExecution(start.minusSeconds(1).atZone(before));
            return match.isPresent() && match.get().toLocalDateTime().isBefore(gap.getDateTimeAfter());
        }

        @Override
        public String toString() {
            return "cron '" + expression + "' in " + zone;
        }
    }
}
