package dev.ergate.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.JobId;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

@DisplayName("configuration, queue descriptions and message ids (no server)")
class SqsConfigTest {

    @Test
    @DisplayName("defaults follow SQS's limits")
    void defaults() {
        SqsQueueOptions config = SqsQueueOptions.defaults();
        assertThat(config.leaseTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxJobBytes()).isEqualTo(1_048_576 - 1024);
        assertThat(config.receiveBatchSize()).isEqualTo(10);
        assertThat(config.maxLongPoll()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxPrefetchHold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.deadLetterQueueUrl()).isNull();
        assertThat(SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(2)).build().maxPrefetchHold())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("values outside SQS's limits are refused, naming the setting")
    void validation() {
        assertThatThrownBy(() -> SqsQueueOptions.builder().leaseTime(Duration.ofMillis(1500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> SqsQueueOptions.builder().leaseTime(Duration.ofHours(13)).build())
                .hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> SqsQueueOptions.builder().maxJobBytes(2_000_000).build())
                .hasMessageContaining("maxJobBytes");
        assertThatThrownBy(() -> SqsQueueOptions.builder().receiveBatchSize(11).build())
                .hasMessageContaining("receiveBatchSize");
        assertThatThrownBy(() -> SqsQueueOptions.builder().maxLongPoll(Duration.ofSeconds(21)).build())
                .hasMessageContaining("maxLongPoll");
        assertThatThrownBy(() -> SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(4))
                .maxPrefetchHold(Duration.ofSeconds(3)).build()).hasMessageContaining("maxPrefetchHold");
        assertThatThrownBy(() -> SqsOptions.builder().socketTimeout(Duration.ofSeconds(20)).build())
                .hasMessageContaining("socketTimeout");
        assertThatThrownBy(() -> SqsOptions.builder().endpoint("localhost:9324").build())
                .hasMessageContaining("endpoint");
    }

    @Test
    @DisplayName("client options never show credentials")
    void noCredentialsInText() {
        SqsOptions options = SqsOptions.builder().region("eu-west-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "s3cr3t")))
                .build();
        assertThat(options.toString()).doesNotContain("AKIAEXAMPLE").doesNotContain("s3cr3t")
                .contains("StaticCredentialsProvider");
    }

    @Test
    @DisplayName("an AWS queue URL gives the region; another URL gives the endpoint")
    void queueUrls() {
        SqsJobQueue.Builder aws = SqsJobQueue.fromUri("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs");
        assertThat(aws.options().region()).isEqualTo("eu-west-1");
        assertThat(aws.options().endpoint()).isNull();

        SqsJobQueue.Builder local = SqsJobQueue.fromUri(
                "http://127.0.0.1:9324/000000000000/jobs.fifo?credentials=anonymous&leaseSeconds=5");
        assertThat(local.options().endpoint()).isEqualTo(URI.create("http://127.0.0.1:9324"));
        assertThat(local.options().credentials()).isNotNull();
    }

    @Test
    @DisplayName("sqs://NAME takes its settings from the query, and refuses unknown ones by name")
    void sqsScheme() {
        SqsJobQueue.Builder named = SqsJobQueue.fromUri(
                "sqs://demo?endpoint=http://localhost:9324&region=us-east-1&create=true&maxJobBytes=262080");
        assertThat(named.options().endpoint()).isEqualTo(URI.create("http://localhost:9324"));
        assertThatThrownBy(() -> SqsJobQueue.fromUri("sqs://demo?lease=5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[lease]");
        assertThatThrownBy(() -> SqsJobQueue.fromUri("redis://x")).hasMessageContaining("sqs://NAME");
        assertThatThrownBy(() -> SqsJobQueue.fromUri("sqs://demo?credentials=secret"))
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> SqsJobQueue.fromUri("sqs://demo?leaseSeconds=0"))
                .hasMessageContaining("leaseTime");
    }

    @Test
    @DisplayName("group ids are the job id when SQS allows it, else a hash; always at most 128 characters")
    void groupIds() {
        assertThat(MessageIds.groupId(JobId.of("order-17"))).isEqualTo("order-17");
        assertThat(MessageIds.groupId(JobId.of(42))).isEqualTo("42");
        assertThat(MessageIds.groupId(JobId.of("a b"))).startsWith("sha256-").hasSizeLessThanOrEqualTo(128);
        assertThat(MessageIds.groupId(JobId.of("x".repeat(129)))).startsWith("sha256-");
        assertThat(MessageIds.groupId(null)).isNotEqualTo(MessageIds.groupId(null));
    }

    @Test
    @DisplayName("deduplication ids differ by job, step and attempt, and are stable otherwise")
    void deduplicationIds() {
        var job = Jobs.job("j1");
        assertThat(MessageIds.deduplicationId(job)).isEqualTo(MessageIds.deduplicationId(job));
        assertThat(MessageIds.deduplicationId(job)).isNotEqualTo(MessageIds.deduplicationId(Jobs.job("j2")));
        assertThat(MessageIds.deduplicationId(job))
                .isNotEqualTo(MessageIds.deduplicationId(job.toBuilder().stepName("second").stepsCompleted(1).build()));
        assertThat(MessageIds.deduplicationId(job)).isNotEqualTo(MessageIds.deduplicationId(job.toBuilder()
                .extraField(MessageIds.ATTEMPT_FIELD, com.fasterxml.jackson.databind.node.IntNode.valueOf(2)).build()));
        assertThat(MessageIds.deduplicationId(Jobs.job("ü".repeat(200)))).startsWith("sha256-")
                .hasSizeLessThanOrEqualTo(128);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "a password holding {0} never shows")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/", "?", "#", "@"})
    @DisplayName("a refused queue URI never shows a password, whatever it holds")
    void refusalsHidePasswords(String c) {
        String password = "pa" + c + "ss" + c + "word";
        for (String uri : new String[] {"ftp://u:" + password + "@h/q", "sqs://jobs?unknown=1&secretKey=" + password,
                "https://u:" + password + "@h/1/q?bogus=1"}) {
            assertThatThrownBy(() -> SqsJobQueue.fromUri(uri)).as(uri)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ss" + c + "word"));
        }
    }
}
