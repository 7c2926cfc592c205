package dev.ergate.redis;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.Workflow;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * The worker {@link RedisCrashTest} starts in a JVM of its own and kills with SIGKILL. It runs
 * {@link #workflow} on one thread until it is killed (or, with {@code --until-idle}, until the
 * queue is empty). Every step first records its run in a Redis hash outside Ergate's keys
 * ({@code HINCRBY runs JOB:STEP 1}), then works for {@code stepMillis}, so a kill lands in the
 * middle of a step and the duplicate run shows in the hash.
 *
 * <p>Arguments: redis URI, cluster (true/false), namespace, runs key, lease millis, step millis.
 */
final class CrashTestWorker {

    /** The workflow's name. */
    static final String WORKFLOW = "crash";

    private CrashTestWorker() {
    }

    /** @return the expected result of a job whose input is {@code n} */
    static int expectedResult(int n) {
        return (n * 10 + 1) * 2;
    }

    /**
     * @param runs records each step run, outside Ergate
     * @param runsKey the hash that counts runs per job and step
     * @param stepMillis how long each step works
     * @return the 3-step workflow: n -> n*10 -> +1 -> *2
     */
    static Workflow workflow(UnifiedJedis runs, String runsKey, long stepMillis) {
        return Workflow.builder(WORKFLOW)
                .step("times-ten", Integer.class, (n, ctx) -> {
                    work(runs, runsKey, ctx.job().id() + ":times-ten", stepMillis);
                    return n * 10;
                })
                .step("plus-one", Integer.class, (n, ctx) -> {
                    work(runs, runsKey, ctx.job().id() + ":plus-one", stepMillis);
                    return n + 1;
                })
                .step("double", Integer.class, (n, ctx) -> {
                    work(runs, runsKey, ctx.job().id() + ":double", stepMillis);
                    return n * 2;
                })
                .build();
    }

    private static void work(UnifiedJedis runs, String runsKey, String field, long stepMillis)
            throws InterruptedException {
        runs.hincrBy(runsKey, field, 1);
        Thread.sleep(stepMillis); // the step's "work": the window in which the test kills this JVM
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        boolean cluster = Boolean.parseBoolean(args[1]);
        String namespace = args[2];
        String runsKey = args[3];
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        long stepMillis = Long.parseLong(args[5]);
        RedisOptions.Builder options = RedisOptions.builder().uri(uri).cluster(cluster);
        try (RedisBackend redis = RedisBackend.connect(options.namespace(namespace).build());
                RedisBackend runs = RedisBackend.connect(options.namespace("ergate-crash-test-runs").build())) {
            Ergate worker = Ergate.builder(redis.queue(RedisQueueOptions.builder().leaseTime(lease).build()),
                            redis.store())
                    .options(ErgateOptions.builder().concurrency(1).pollTimeout(Duration.ofMillis(500))
                            .handleSignals(false).build())
                    .build();
            worker.registerWorkflow(workflow(runs.client(), runsKey, stepMillis));
            worker.run(); // until SIGKILL
        }
    }
}
