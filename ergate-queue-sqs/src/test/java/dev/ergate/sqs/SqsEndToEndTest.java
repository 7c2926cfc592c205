package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real Ergate worker runs a 3-step workflow over SQS to the end for every job. */
@DisplayName("Ergate worker on SQS, end to end")
class SqsEndToEndTest {

    private final QueueFixture queues = new QueueFixture();
    private Ergate app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        queues.close();
    }

    static Workflow threeSteps() {
        return Workflow.builder("calc")
                .step("add", Integer.class, (n, ctx) -> n + 1)
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();
    }

    @ParameterizedTest(name = "fifo={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("200 jobs of 3 steps on 4 worker threads all end COMPLETED with the right result")
    void everyJobCompletes(boolean fifo) {
        String url = fifo ? SqsTestBackend.newFifoQueue("e2e") : SqsTestBackend.newQueue("e2e");
        SqsJobQueue queue = queues.open(url, 30);
        InMemoryJobStore store = InMemoryJobStore.create();
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            queue.put(Job.builder().workflowName("calc").id(JobId.of("e2e-" + i)).initialInputValue(IntNode.valueOf(i))
                    .build());
        }
        app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(4).handleSignals(false).build())
                .build()
                .registerWorkflow(threeSteps());
        app.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> countCompleted(store, jobs) == jobs);
        for (int i = 0; i < jobs; i++) {
            Job done = store.find(JobId.of("e2e-" + i)).orElseThrow();
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.lastReturnValue().textValue()).isEqualTo("=" + (i + 1) * 10);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> QueueFixture.total(url) == 0);
    }

    private static int countCompleted(InMemoryJobStore store, int jobs) {
        int done = 0;
        for (int i = 0; i < jobs; i++) {
            if (store.find(JobId.of("e2e-" + i)).map(j -> j.status() == JobStatus.COMPLETED).orElse(false)) {
                done++;
            }
        }
        return done;
    }
}
