package dev.ergate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker process for {@link SignalShutdownTest}: runs a step that takes ~1.5 s and reports on
 * stdout what it does, so the test can send SIGTERM while the step runs.
 */
public final class SignalMain {

    private SignalMain() {
    }

    public static void main(String[] args) {
        TestQueue queue = new TestQueue();
        TestStore store = new TestStore() {
            @Override
            public synchronized void update(Job job) {
                super.update(job);
                say("UPDATE " + job.status());
            }
        };
        Ergate app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(50))
                        .drainTimeout(Duration.ofSeconds(30)).build())
                .lifespan(worker -> {
                    say("LIFESPAN START");
                    return () -> say("LIFESPAN STOP");
                })
                .build()
                .registerWorkflow(Workflow.builder("signal")
                        .step("work", JsonNode.class, (in, ctx) -> {
                            say("STEP STARTED");
                            // the step's own work: 1.5 s, finished during the drain
                            new CountDownLatch(1).await(1500, TimeUnit.MILLISECONDS);
                            say("STEP FINISHED");
                            return "done";
                        })
                        .step("next", JsonNode.class, (in, ctx) -> "never runs: the worker stopped taking")
                        .build());
        queue.put(Job.builder().workflowName("signal").id("sig").build());
        app.run();
        say("RUN RETURNED");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
