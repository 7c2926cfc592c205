package dev.ergate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    @DisplayName("the README's quick start runs an order to COMPLETED through all three steps")
    void quickStart() throws InterruptedException {
        Job job = QuickStart.run();

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.stepsCompleted()).isEqualTo(3);
        assertThat(job.lastReturnValue().asText()).isEqualTo("shipped against receipt-o-1-alice");
    }
}
