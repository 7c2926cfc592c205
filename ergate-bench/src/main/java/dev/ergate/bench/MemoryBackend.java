package dev.ergate.bench;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;

/**
 * The memory backends: the testkit's {@link InMemoryJobQueue} with ({@code memory}) or without
 * ({@code memory-objects}) its JSON round trip, and a {@link LatestStateStore}; the baseline does
 * the same calls without the runtime. Not thread-safe; what it opens is.
 */
final class MemoryBackend implements BenchBackend {

    private final boolean json;

    /** @param json true for the queue's JSON round trip ({@code memory}), false for Job objects ({@code memory-objects}) */
    MemoryBackend(boolean json) {
        this.json = json;
    }

    private InMemoryJobQueue.Builder queue() {
        return InMemoryJobQueue.builder().jsonRoundTrip(json);
    }

    @Override
    public String describe() {
        return json
                ? "memory: testkit InMemoryJobQueue (JSON round trip) + LatestStateStore, in this JVM"
                : "memory-objects: testkit InMemoryJobQueue without JSON (Job objects) + LatestStateStore, in this JVM";
    }

    @Override
    public BackendRun open(String runId, int workers, Duration leaseTime) {
        InMemoryJobQueue queue = queue().leaseTime(leaseTime).build();
        LatestStateStore store = new LatestStateStore();
        return BackendRun.of(queue, store, () -> { });
    }

    @Override
    public RawBaseline baseline() {
        return new RawBaseline() {
            @Override
            public String describe() {
                return "InMemoryJobQueue" + (json ? "" : " (no JSON)") + " take + LatestStateStore replace + put + ack";
            }

            @Override
            public BaselineResult run(String runId, int threads, int depth, long steps, byte[] message)
                    throws Exception {
                Job template = JobCodec.standard().decode(message);
                try (InMemoryJobQueue queue = queue().build()) {
                    LatestStateStore store = new LatestStateStore();
                    for (int i = 0; i < depth; i++) {
                        queue.put(template.toBuilder().id(JobId.of(runId + "-" + i)).build());
                    }
                    long nanos = BaselineLoops.run("memory", threads, steps, index -> () -> {
                        Delivery delivery = queue.take(Duration.ofSeconds(10)).orElseThrow(
                                () -> new IllegalStateException("memory baseline: queue empty for 10 s"));
                        Job job = delivery.job();
                        store.replace(job); // the same state again and again: past the fence, as a raw write
                        queue.put(job);
                        delivery.ack();
                    });
                    return new BaselineResult(describe(), steps, nanos);
                }
            }
        };
    }

    @Override
    public void close() {
    }
}
