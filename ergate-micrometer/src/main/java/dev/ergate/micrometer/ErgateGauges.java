package dev.ergate.micrometer;

import dev.ergate.runtime.Ergate;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Gauges read when the registry is scraped: a worker's threads and how many are busy, and a
 * queue's depth by state when the queue implements {@link QueueStats}. Bind it once per worker
 * or queue. Thread-safe.
 */
public final class ErgateGauges implements MeterBinder {

    private final @Nullable Ergate worker;
    private final List<NamedQueue> queues = new ArrayList<>();
    private final Tags tags;

    private ErgateGauges(@Nullable Ergate worker, Iterable<Tag> tags) {
        this.worker = worker;
        this.tags = Tags.of(tags);
    }

    /**
     * @param worker the worker whose threads to report
     * @return gauges for the worker; add queues with {@link #queue}
     */
    public static ErgateGauges of(Ergate worker) {
        return new ErgateGauges(Objects.requireNonNull(worker, "worker"), Tags.empty());
    }

    /**
     * @param name the queue's name for the {@code queue} tag
     * @param queue the queue; a queue that does not implement {@link QueueStats} gets no gauges
     * @return gauges for the queue alone (a producer process has no worker)
     */
    public static ErgateGauges ofQueue(String name, JobQueue queue) {
        return new ErgateGauges(null, Tags.empty()).queue(name, queue);
    }

    /**
     * @param tags added to every gauge
     * @return a copy with the tags
     */
    public ErgateGauges tags(Iterable<Tag> tags) {
        ErgateGauges copy = new ErgateGauges(worker, this.tags.and(tags));
        copy.queues.addAll(queues);
        return copy;
    }

    /**
     * Also reports a queue's depth.
     *
     * @param name the queue's name for the {@code queue} tag
     * @param queue the queue; a queue that does not implement {@link QueueStats} gets no gauges
     * @return this
     */
    public ErgateGauges queue(String name, JobQueue queue) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(queue, "queue");
        if (queue instanceof QueueStats stats) {
            queues.add(new NamedQueue(name, stats));
        }
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Ergate w = worker;
        if (w != null) {
            Gauge.builder("ergate.worker.threads", w, Ergate::concurrency)
                    .description("Worker threads, each running one step at a time").tags(tags).register(registry);
            Gauge.builder("ergate.worker.threads.busy", w, Ergate::busyThreads)
                    .description("Worker threads running a step now").tags(tags).register(registry);
        }
        for (NamedQueue queue : queues) {
            QueueCountsReader reader = new QueueCountsReader(queue.stats(), registry.config().clock());
            gauge(registry, queue.name(), "ready", reader, QueueCounts::ready);
            gauge(registry, queue.name(), "delayed", reader, QueueCounts::delayed);
            gauge(registry, queue.name(), "in_flight", reader, QueueCounts::inFlight);
            gauge(registry, queue.name(), "dead_letters", reader, QueueCounts::deadLetters);
        }
    }

    private void gauge(MeterRegistry registry, String queue, String state, QueueCountsReader reader,
            ToLongFunction<QueueCounts> count) {
        Gauge.builder("ergate.queue.messages", reader, r -> r.read(count))
                .description("Messages in the queue by state (ready, delayed, in_flight, dead_letters)")
                .tags(tags.and("queue", queue, "state", state))
                .strongReference(true)
                .register(registry);
    }

    private record NamedQueue(String name, QueueStats stats) {
    }
}
