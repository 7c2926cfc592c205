package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.JobCodec;
import dev.ergate.JobId;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Each raw baseline runs its loop against the real backend and leaves nothing behind. */
class RawBaselineTest {

    private final String runId = "t" + UUID.randomUUID().toString().substring(0, 8);
    private final byte[] message = JobCodec.standard().encode(
            BenchWorkflow.job(JobId.of("template"), BenchWorkflow.payload(50)));

    private static void assertRan(BaselineResult result) {
        assertThat(result.steps()).isEqualTo(60);
        assertThat(result.nanos()).isPositive();
        assertThat(result.stepsPerSecond()).isPositive();
    }

    @Test
    void memory() throws Exception {
        assertRan(new MemoryBackend(true).baseline().run(runId, 2, 6, 60, message));
    }

    @Test
    void memoryObjects() throws Exception {
        assertRan(new MemoryBackend(false).baseline().run(runId, 2, 6, 60, message));
    }

    @Test
    void redisLeavesNoKeys() throws Exception {
        URI uri = LocalBackends.redis();
        assertRan(new RedisRawBaseline(uri).run(runId, 2, 6, 60, message));
        try (Jedis jedis = new Jedis(uri)) {
            assertThat(jedis.keys("ergbench:{" + runId + "}:*")).isEmpty();
        }
    }

    @Test
    void postgresDropsItsSchema() throws Exception {
        String url = LocalBackends.postgres();
        assertRan(new PostgresRawBaseline(url).run(runId, 2, 6, 60, message));
        try (Connection connection = PostgresRawBaseline.connect(url);
                ResultSet schemas = connection.createStatement().executeQuery(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'ergbench_" + runId + "'")) {
            schemas.next();
            assertThat(schemas.getInt(1)).isZero();
        }
    }

    @Test
    void sqsDeletesItsQueue() throws Exception {
        URI endpoint = LocalBackends.sqs();
        assertRan(new SqsRawBaseline(endpoint).run(runId, 2, 6, 60, message));
        try (SqsClient client = SqsRawBaseline.client(endpoint)) {
            assertThat(client.listQueues(r -> r.queueNamePrefix("ergbench-" + runId)).queueUrls()).isEmpty();
        }
    }
}
