package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateListener;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.ErgatePublisher;
import dev.ergate.runtime.PublisherOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.spi.JobQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The runtime's ErgatePublisher over RedisJobSource")
class PublisherOnRedisTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("publisher");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("with a PENDING-style worker and two publishers, moves every job through every step once")
    void pendingStyle() {
        RedisBackend backend = fixture.backend();
        int jobs = 60;
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Workflow workflow = Workflow.builder("pending")
                .step("a", Integer.class, (n, ctx) -> n + 1)
                .step("b", Integer.class, (n, ctx) -> n * 2)
                .step("c", Integer.class, (n, ctx) -> n - 1)
                .build();
        ErgateListener counting = new ErgateListener() {
            @Override
            public void stepStarted(Job running) {
                runs.computeIfAbsent(running.id() + "/" + running.stepName(), k -> new AtomicInteger())
                        .incrementAndGet();
            }
        };
        RedisJobQueue queue = backend.queue();
        RedisJobStore store = backend.store();
        Instant later = Instant.now().plusSeconds(1);
        for (int i = 0; i < jobs; i++) {
            store.update(Job.builder().id(JobId.of(i)).workflowName("pending")
                    .status(i % 2 == 0 ? JobStatus.PENDING : JobStatus.SCHEDULED)
                    .requestedStartTime(i % 2 == 0 ? null : later)
                    .initialInputValue(IntNode.valueOf(i)).build());
        }
        ErgateOptions options = ErgateOptions.builder().concurrency(4).afterStepStatus(JobStatus.PENDING)
                .pollTimeout(Duration.ofMillis(500)).handleSignals(false).build();
        PublisherOptions publishing = PublisherOptions.builder().pollInterval(Duration.ofMillis(50)).batchSize(10).build();
        try (Ergate worker = Ergate.builder(queue, store).options(options).listener(counting).build()
                        .registerWorkflow(workflow);
                ErgatePublisher one = ErgatePublisher.builder(RedisJobSource.over(store), queue).options(publishing).build();
                ErgatePublisher two = ErgatePublisher.builder(RedisJobSource.over(store), queue).options(publishing).build()) {
            worker.start();
            one.start();
            two.start();
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> store
                    .list(JobQuery.builder().status(JobStatus.COMPLETED).pageSize(1000).build()).jobs().size() == jobs);
        }
        for (int i = 0; i < jobs; i++) {
            assertThat(store.find(JobId.of(i)).orElseThrow().lastReturnValue().intValue()).isEqualTo((i + 1) * 2 - 1);
        }
        assertThat(runs).as("step runs").hasSize(jobs * 3);
        assertThat(runs.values()).as("each step of each job ran once: never published twice")
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(queue.counts().total()).isZero();
    }
}
