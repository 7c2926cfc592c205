package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobQuery;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("InMemoryJobStore")
class InMemoryJobStoreTest {

    private final ManualClock clock = ManualClock.create();
    private final InMemoryJobStore store = InMemoryJobStore.builder().clock(clock)
            .claimTimeout(Duration.ofMinutes(1)).build();

    private static Job job(String id, JobStatus status) {
        return Job.builder().id(id).workflowName("w").status(status).build();
    }

    @Nested
    @DisplayName("history")
    class History {

        @Test
        @DisplayName("keeps every state of a job in order, as stored")
        void perJob() {
            Job queued = job("a", JobStatus.QUEUED);
            Job running = queued.toBuilder().status(JobStatus.RUNNING).stepName("one").build();
            store.update(queued);
            store.update(job("b", JobStatus.QUEUED));
            store.update(running);
            store.requestCancel(queued.id());
            store.update(running.toBuilder().status(JobStatus.QUEUED).stepsCompleted(1).build());
            store.update(running.toBuilder().status(JobStatus.CANCELLED).stepsCompleted(1).build());

            assertThat(store.history(JobId.of("a"))).extracting(Job::status).containsExactly(
                    JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING, JobStatus.CANCELLING,
                    JobStatus.CANCELLED);
            assertThat(store.history(JobId.of("a")).get(3).stepsCompleted()).isEqualTo(1);
            assertThat(store.updates()).hasSize(6);
            assertThat(store.history(JobId.of("nope"))).isEmpty();
            assertThat(store.jobs()).extracting(j -> j.id().value()).containsExactly("a", "b");
            assertThat(store.size()).isEqualTo(2);
        }

        @Test
        @DisplayName("does not record a cancel request that changes nothing")
        void noOpCancel() {
            store.update(job("c", JobStatus.COMPLETED));
            store.update(job("r", JobStatus.RUNNING));

            assertThat(store.requestCancel(JobId.of("c"))).isFalse();
            assertThat(store.requestCancel(JobId.of("r"))).isTrue();
            assertThat(store.requestCancel(JobId.of("r"))).isTrue();

            assertThat(store.history(JobId.of("c"))).hasSize(1);
            assertThat(store.history(JobId.of("r"))).hasSize(2);
        }
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {

        @Test
        @DisplayName("an update without an id is refused, naming the workflow")
        void noId() {
            assertThatThrownBy(() -> store.update(Job.of("orders")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'orders'");
        }

        @Test
        @DisplayName("a cursor this store did not make is refused, naming it")
        void badCursor() {
            assertThatThrownBy(() -> store.list(JobQuery.builder().cursor("page-2").build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'page-2'");
            assertThatThrownBy(() -> store.list(JobQuery.builder().cursor("-5").build()))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("a claim timeout that is not positive is refused")
        void badClaimTimeout() {
            assertThatThrownBy(() -> InMemoryJobStore.builder().claimTimeout(Duration.ZERO).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimTimeout");
        }
    }

    @Nested
    @DisplayName("as a JobSource")
    class Source {

        private final Instant now = clock.instant();

        @Test
        @DisplayName("hands out due SCHEDULED and PENDING jobs, earliest first, and nothing else")
        void dueOnly() {
            store.update(job("future", JobStatus.SCHEDULED).toBuilder().requestedStartTime(now.plusSeconds(60)).build());
            store.update(job("late", JobStatus.SCHEDULED).toBuilder().requestedStartTime(now.minusSeconds(10)).build());
            store.update(job("pending", JobStatus.PENDING));
            store.update(job("early", JobStatus.SCHEDULED).toBuilder().requestedStartTime(now.minusSeconds(60)).build());
            store.update(job("queued", JobStatus.QUEUED));
            store.update(job("done", JobStatus.COMPLETED));

            assertThat(store.claimDue(now, 10)).extracting(j -> j.id().value())
                    .containsExactly("pending", "early", "late");
        }

        @Test
        @DisplayName("claims a job for one publisher until it is reported or the claim times out")
        void claims() {
            store.update(job("a", JobStatus.SCHEDULED));
            store.update(job("b", JobStatus.SCHEDULED));
            store.update(job("c", JobStatus.SCHEDULED));

            assertThat(store.claimDue(now, 2)).extracting(j -> j.id().value()).containsExactly("a", "b");
            assertThat(store.claimDue(now, 10)).extracting(j -> j.id().value()).containsExactly("c");
            assertThat(store.claimDue(now, 10)).isEmpty();

            store.published(job("a", JobStatus.QUEUED));
            store.publishFailed(job("b", JobStatus.SCHEDULED), new IllegalStateException("queue down"));
            assertThat(store.find(JobId.of("a"))).hasValueSatisfying(j ->
                    assertThat(j.status()).isEqualTo(JobStatus.QUEUED));
            assertThat(store.claimDue(now, 10)).extracting(j -> j.id().value()).containsExactly("b");

            clock.advance(Duration.ofMinutes(1));
            assertThat(store.claimDue(clock.instant(), 10)).extracting(j -> j.id().value())
                    .containsExactly("b", "c");
        }

        @Test
        @DisplayName("records a published job QUEUED only over the state it claimed, never over a newer one")
        void publishedIsConditional() {
            store.update(job("raced", JobStatus.PENDING));
            store.update(job("cancelled", JobStatus.PENDING));
            store.update(job("plain", JobStatus.PENDING));
            store.claimDue(now, 10);

            store.update(job("raced", JobStatus.COMPLETED));       // a worker finished it first
            store.requestCancel(JobId.of("cancelled"));            // a cancel request came first
            store.published(job("raced", JobStatus.QUEUED));
            store.published(job("cancelled", JobStatus.QUEUED));
            store.published(job("plain", JobStatus.QUEUED));

            assertThat(store.find(JobId.of("raced")).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            // a PENDING job has no message to see a cancel request: it is CANCELLED at once
            assertThat(store.find(JobId.of("cancelled")).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(store.find(JobId.of("plain")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(store.claimDue(now, 10)).isEmpty();
        }

        @Test
        @DisplayName("refuses to claim fewer than one job")
        void badMax() {
            assertThatThrownBy(() -> store.claimDue(now, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
