package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.RetryOutcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A retry onto a queue of another backend, when that queue refuses the put. */
class InMemoryJobAdminRetryTest {

    /** A queue that is down: every put throws. */
    private static final class DownQueue extends ForwardingJobQueue {
        private boolean down = true;

        DownQueue(InMemoryJobQueue delegate) {
            super(delegate);
        }

        @Override
        public void put(Job job) {
            if (down) {
                throw new IllegalStateException("queue down");
            }
            super.put(job);
        }
    }

    @Test
    @DisplayName("a retry whose put fails leaves the job as it was, so it can be retried once the queue is back")
    void failedPutRestoresTheEndedJob() {
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryJobQueue inner = InMemoryJobQueue.create();
        DownQueue queue = new DownQueue(inner);
        Job failed = Job.builder().id("order-1").workflowName("orders").status(JobStatus.FAILED)
                .exceptionTraceback("java.lang.IllegalStateException: boom").build();
        store.update(failed);
        InMemoryJobAdmin admin = InMemoryJobAdmin.forStore(store, queue);

        assertThatThrownBy(() -> admin.retryJob(JobId.of("order-1"))).hasMessage("queue down");
        Job after = store.find(JobId.of("order-1")).orElseThrow();
        assertThat(after.status()).isEqualTo(JobStatus.FAILED);
        assertThat(after.exceptionTraceback()).contains("boom");
        assertThat(inner.size()).isZero();

        queue.down = false;
        assertThat(admin.retryJob(JobId.of("order-1"))).isEqualTo(RetryOutcome.RETRIED);
        assertThat(store.find(JobId.of("order-1")).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(inner.size()).isEqualTo(1);
    }
}
