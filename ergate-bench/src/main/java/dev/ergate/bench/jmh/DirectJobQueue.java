package dev.ergate.bench.jmh;

import dev.ergate.Job;
import dev.ergate.spi.Delivery;
import dev.ergate.spi.JobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A measuring instrument, not a queue to use: hands {@link Job} objects from {@code put} to
 * {@code take} through a {@link LinkedBlockingQueue}, with no JSON, no leases (a taken job is
 * never redelivered; {@code release} puts it back at once) and no dead-letter place (dead
 * letters are only counted). It takes the backend out of a worker benchmark, leaving the
 * engine's own cost per step. Thread-safe.
 */
final class DirectJobQueue implements JobQueue {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final LinkedBlockingQueue<Job> ready = new LinkedBlockingQueue<>();
    private final AtomicLong deadLetters = new AtomicLong();

    @Override
    public void put(Job job) {
        ready.add(job);
    }

    @Override
    public Optional<Delivery> take(Duration maxWait) throws InterruptedException {
        Job job = ready.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        return job == null ? Optional.empty() : Optional.of(new DirectDelivery(job, Instant.now().plus(LEASE)));
    }

    /** {@return how many deliveries were dead-lettered} */
    long deadLetters() {
        return deadLetters.get();
    }

    private final class DirectDelivery implements Delivery {
        private final Job job;
        private volatile Instant leaseExpiresAt;

        DirectDelivery(Job job, Instant leaseExpiresAt) {
            this.job = job;
            this.leaseExpiresAt = leaseExpiresAt;
        }

        @Override
        public Job job() {
            return job;
        }

        @Override
        public int deliveryCount() {
            return 1;
        }

        @Override
        public Instant leaseExpiresAt() {
            return leaseExpiresAt;
        }

        @Override
        public void ack() {
        }

        @Override
        public void release(Duration delay) {
            ready.add(job);
        }

        @Override
        public void extend(Duration duration) {
            leaseExpiresAt = Instant.now().plus(duration);
        }

        @Override
        public void deadLetter(String reason) {
            deadLetters.incrementAndGet();
        }
    }
}
