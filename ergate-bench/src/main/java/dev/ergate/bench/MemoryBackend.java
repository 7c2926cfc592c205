package dev.ergate.bench;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.spi.Delivery;
import dev.ergate.testkit.InMemoryJobQueue;
import java.time.Duration;

/**
 * The memory backend: the testkit's {@link InMemoryJobQueue} (jobs travel as JSON, leased, one
 * lock) and a {@link LatestStateStore}. Its baseline does take, update, put and ack on the same
 * two objects without the runtime, so the ratio is the engine's own share. Not thread-safe; what
 * it opens is.
 */
final class MemoryBackend implements BenchBackend {

    @Override
    public String describe() {
        return "memory: testkit InMemoryJobQueue + LatestStateStore, in this JVM";
    }

    @Override
    public BackendRun open(String runId, int workers, Duration leaseTime) {
        InMemoryJobQueue queue = InMemoryJobQueue.builder().leaseTime(leaseTime).build();
        LatestStateStore store = new LatestStateStore();
        return BackendRun.of(queue, store, () -> { });
    }

    @Override
    public RawBaseline baseline() {
        return new RawBaseline() {
            @Override
            public String describe() {
                return "InMemoryJobQueue take + LatestStateStore update + put + ack";
            }

            @Override
            public BaselineResult run(String runId, int threads, int depth, long steps, byte[] message)
                    throws Exception {
                Job template = JobCodec.standard().decode(message);
                try (InMemoryJobQueue queue = InMemoryJobQueue.builder().build()) {
                    LatestStateStore store = new LatestStateStore();
                    for (int i = 0; i < depth; i++) {
                        queue.put(template.toBuilder().id(JobId.of(runId + "-" + i)).build());
                    }
                    long nanos = BaselineLoops.run("memory", threads, steps, index -> () -> {
                        Delivery delivery = queue.take(Duration.ofSeconds(10)).orElseThrow(
                                () -> new IllegalStateException("memory baseline: queue empty for 10 s"));
                        Job job = delivery.job();
                        store.update(job);
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
