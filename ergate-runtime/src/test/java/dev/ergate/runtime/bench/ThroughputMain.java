package dev.ergate.runtime.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.JobRunner;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Rough engine overhead: steps per second through the Ergate worker over the runtime's in-memory
 * test queue and store (3-step workflow, trivial steps), and through a bare JobRunner. Not a test;
 * run by hand: java -cp ... dev.ergate.runtime.bench.ThroughputMain [jobs] [threads].
 */
public final class ThroughputMain {

    private ThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Workflow workflow = Workflow.builder("calc")
                .step("add", Integer.class, (n, ctx) -> n + 1)
                .step("mul", Integer.class, (n, ctx) -> n * 10)
                .step("show", Integer.class, (n, ctx) -> "=" + n)
                .build();

        JobRunner runner = JobRunner.builder().build();
        runner.register(workflow);
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                Job job = Job.builder().workflowName("calc").id(JobId.of(i)).initialInputValue(IntNode.valueOf(i)).build();
                while (job != null) {
                    job = runner.runStep(job).next().orElse(null);
                }
            }
            report("JobRunner, 1 thread" + (round == 0 ? " (warm-up)" : ""), jobs, System.nanoTime() - start);
        }

        for (int round = 0; round < 2; round++) {
            TestQueue queue = new TestQueue();
            TestStore store = new TestStore();
            queue.recordHistory = false;
            for (int i = 0; i < jobs; i++) {
                queue.put(Job.builder().workflowName("calc").id(JobId.of(i)).initialInputValue(IntNode.valueOf(i)).build());
            }
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(jobs);
            Ergate app = Ergate.builder(queue, store)
                    .listener(new dev.ergate.runtime.ErgateListener() {
                        @Override
                        public void stepFinished(dev.ergate.runtime.StepResult result) {
                            if (result.outcome() == dev.ergate.runtime.StepResult.Outcome.COMPLETED) {
                                done.countDown();
                            }
                        }
                    })
                    .options(ErgateOptions.builder().concurrency(threads).pollTimeout(Duration.ofMillis(100))
                            .handleSignals(false).checkCancellation(true).build())
                    .build().registerWorkflow(workflow);
            long start = System.nanoTime();
            app.start();
            done.await();
            while (store.count(JobStatus.COMPLETED) < jobs) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            long elapsed = System.nanoTime() - start;
            app.close();
            report("Ergate worker, " + threads + " threads, in-memory queue+store" + (round == 0 ? " (warm-up)" : ""),
                    jobs, elapsed);
        }
    }

    private static void report(String what, int jobs, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("%s: %d jobs x 3 steps in %.2f s = %.0f steps/s%n", what, jobs, seconds, jobs * 3 / seconds);
    }
}
