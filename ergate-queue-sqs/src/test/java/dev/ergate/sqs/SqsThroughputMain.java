package dev.ergate.sqs;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;

/**
 * A throwaway measurement, not a test: steps per second of a 3-step workflow through a real Ergate worker on the test SQS server (in-process ElasticMQ
 * unless {@code ERGATE_SQS_ENDPOINT} is set). Arguments: jobs, worker threads, fifo (true/false).
 */
public final class SqsThroughputMain {

    private SqsThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        boolean fifo = args.length > 2 && Boolean.parseBoolean(args[2]);
        String url = fifo ? SqsTestBackend.newFifoQueue("bench") : SqsTestBackend.newQueue("bench");
        try (SqsJobQueue queue = SqsJobQueue.builder().client(SqsTestBackend.client()).queueUrl(url).build()) {
            InMemoryJobStore store = InMemoryJobStore.create();
            for (int i = 0; i < jobs; i++) {
                queue.put(Job.builder().workflowName("calc").id(JobId.of("b-" + i))
                        .initialInputValue(IntNode.valueOf(i)).build());
            }
            try (Ergate app = Ergate.builder(queue, store)
                    .options(ErgateOptions.builder().concurrency(threads).handleSignals(false).build())
                    .build().registerWorkflow(threeSteps())) {
                long start = System.nanoTime();
                app.start();
                while (completed(store, jobs) < jobs) {
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%s queue, %d jobs x 3 steps, %d worker threads: %.1f s, %.0f steps/s%n",
                        fifo ? "FIFO" : "standard", jobs, threads, seconds, jobs * 3 / seconds);
            }
        }
        System.exit(0);
    }

    static Workflow threeSteps() {
        return Workflow.builder("calc")
                .step("add", Integer.class, (n, ctx) -> n + 1)
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();
    }

    private static int completed(InMemoryJobStore store, int jobs) {
        int done = 0;
        for (int i = 0; i < jobs; i++) {
            if (store.find(JobId.of("b-" + i)).map(j -> j.status() == JobStatus.COMPLETED).orElse(false)) {
                done++;
            }
        }
        return done;
    }
}
