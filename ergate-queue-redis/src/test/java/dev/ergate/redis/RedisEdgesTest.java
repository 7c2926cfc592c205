package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The edges of the Redis queue's guarantees: whose clock decides, what a take never loads, how many dead letters stay. */
@DisplayName("RedisJobQueue at its edges")
class RedisEdgesTest {

    private static final Duration SKEW = Duration.ofMinutes(2);
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("edges");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job job(String id) {
        return Job.builder().id(id).workflowName("wf").build();
    }

    @Test
    @DisplayName("a worker whose clock runs 2 minutes ahead steals no live lease and takes no delayed job early")
    void skewedClock() throws Exception {
        RedisBackend honest = fixture.backend();
        RedisBackend ahead = fixture.sharing(honest,
                RedisOptions.builder().clock(Clock.offset(Clock.systemUTC(), SKEW)));
        RedisQueueOptions options = RedisQueueOptions.builder().leaseTime(Duration.ofSeconds(30)).build();
        RedisJobQueue queue = honest.queue(options);
        RedisJobQueue skewed = ahead.queue(options);

        queue.put(job("leased"));
        Delivery held = queue.take(Duration.ofSeconds(5)).orElseThrow();
        queue.put(job("later").toBuilder().requestedStartTime(Instant.now().plusSeconds(60)).build());
        skewed.put(job("put-ahead").toBuilder().requestedStartTime(Instant.now(ahead.options().clock())).build());

        // only the job the skewed worker put "now by its clock" is ready (a minute ahead of Redis: delayed)
        assertThat(skewed.take(Duration.ZERO)).as("a take by the worker whose clock runs ahead").isEmpty();
        assertThat(skewed.counts().delayed()).isEqualTo(2);
        assertThat(skewed.counts().inFlight()).isEqualTo(1);
        assertThat(held.job().id().value()).isEqualTo("leased");
        held.ack();
    }

    @Test
    @DisplayName("a raw-pushed job with a future start is given back delayed, not handed out, and comes at its time")
    void rawFutureStart() throws Exception {
        RedisJobQueue queue = fixture.backend().queue();
        Instant start = Instant.now().plusSeconds(2);
        byte[] raw = JobCodec.standard().encode(job("raw").toBuilder().requestedStartTime(start).build());
        fixture.raw().rpush(queue.keys().ready().getBytes(StandardCharsets.UTF_8), raw);

        assertThat(queue.take(Duration.ofMillis(300))).as("a take before its start").isEmpty();
        Delivery delivery = queue.take(Duration.ofSeconds(10)).orElseThrow();
        assertThat(Instant.now()).isAfterOrEqualTo(start.minusMillis(50));
        assertThat(delivery.job().id().value()).isEqualTo("raw");
        assertThat(delivery.deliveryCount()).as("the early look is not a delivery").isEqualTo(1);
        delivery.ack();
    }

    @Test
    @DisplayName("a body over maxJobBytes is dead-lettered by Redis at take, with the reason, never handed out")
    void oversizedAtTake() throws Exception {
        RedisJobQueue queue = fixture.backend().queue(RedisQueueOptions.builder().maxJobBytes(400).build());
        String big = new String(JobCodec.standard().encode(job("big").toBuilder()
                .stepName("x".repeat(500)).build()), StandardCharsets.UTF_8);
        fixture.raw().rpush(queue.keys().ready(), big);
        queue.put(job("small"));

        Delivery delivery = queue.take(Duration.ofSeconds(5)).orElseThrow();
        assertThat(delivery.job().id().value()).isEqualTo("small");
        delivery.ack();
        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).contains("over maxJobBytes=400");
            assertThat(letter.body()).isEqualTo(big);
        });
    }

    @Test
    @DisplayName("dead letters are capped: the oldest go first")
    void deadLettersCapped() throws Exception {
        RedisJobQueue queue = fixture.backend().queue(RedisQueueOptions.builder().maxDeadLetters(3).build());
        for (int i = 0; i < 5; i++) {
            fixture.raw().rpush(queue.keys().ready(), "not a job " + i);
        }
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        assertThat(queue.deadLetters(10)).extracting(DeadLetter::body)
                .containsExactly("not a job 2", "not a job 3", "not a job 4");
        assertThat(RedisQueueOptions.defaults().maxDeadLetters()).isEqualTo(10_000);
    }
}
