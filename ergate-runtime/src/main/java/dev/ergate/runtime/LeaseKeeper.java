package dev.ergate.runtime;

import dev.ergate.spi.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Extends a delivery's lease at half its length while its step runs. Thread-safe. */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final Duration MIN_LEASE = Duration.ofMillis(200);

    private final @Nullable ScheduledFuture<?> task;

    private LeaseKeeper(@Nullable ScheduledFuture<?> task) {
        this.task = task;
    }

    /**
     * @param lease the lease length to renew, as measured when the delivery was taken
     */
    static LeaseKeeper start(ScheduledExecutorService scheduler, Delivery delivery, Duration lease) {
        Duration length = lease.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : lease;
        long periodNanos = length.toNanos() / 2;
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(() -> {
            try {
                delivery.extend(length);
            } catch (RuntimeException e) {
                LOG.warn("Extending the lease of job {} failed; it may be delivered again: {}",
                        delivery.job().id(), e.getMessage());
            }
        }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return new LeaseKeeper(task);
    }

    /** @return the lease length left on a delivery right now, by {@code clock} */
    static Duration remaining(Delivery delivery, Clock clock) {
        return Duration.between(clock.instant(), delivery.leaseExpiresAt());
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
