package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EncodeBufferTest {

    private static final JobCodec CODEC = JobCodec.standard();

    private static Job jobWithPayload(int chars) {
        return Job.builder().workflowName("w").id("big").initialInputValue(TextNode.valueOf("x".repeat(chars))).build();
    }

    @Test
    @DisplayName("encode keeps its grown buffer for the thread's next encode instead of growing a new one")
    void theBufferIsRecycled() {
        CODEC.encode(jobWithPayload(50_000));

        EncodeBuffer spare = EncodeBuffer.take();
        try {
            assertThat(spare.capacity()).isGreaterThanOrEqualTo(50_000);
            assertThat(spare.size()).isZero();
        } finally {
            spare.giveBack();
        }
    }

    @Test
    @DisplayName("a recycled buffer holds nothing of the last job: a small job after a large one encodes exactly")
    void aRecycledBufferStartsEmpty() {
        CODEC.encode(jobWithPayload(50_000));

        assertThat(CODEC.encodeToString(Job.of("w"))).isEqualTo("{\"id\":null,\"workflow_name\":\"w\",\"step_name\":null,"
                + "\"status\":\"QUEUED\",\"steps_completed\":0,\"percent_completed\":0.0,\"initial_input_value\":null,"
                + "\"last_return_value\":null,\"exception_traceback\":null,\"user_context\":null,"
                + "\"requested_start_time\":null}");
    }

    @Test
    @DisplayName("an encode that fails half-way leaves nothing behind for the next one")
    void aFailedEncodeLeavesNothingBehind() {
        JobCodec codes = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).writeStatusCodes(true).build();
        Job noCode = Job.builder().workflowName("w").status(JobStatus.PENDING).build();
        assertThatThrownBy(() -> codes.encode(noCode)).isInstanceOf(JobFormatException.class);

        assertThat(CODEC.decode(CODEC.encode(jobWithPayload(10)))).isEqualTo(jobWithPayload(10));
    }

    @Test
    @DisplayName("a buffer grown past the largest kept size is dropped, so one huge job does not pin it")
    void hugeBuffersAreNotKept() {
        CODEC.encode(jobWithPayload(EncodeBuffer.LARGEST_KEPT + 1));

        EncodeBuffer spare = EncodeBuffer.take();
        try {
            assertThat(spare.capacity()).isLessThan(EncodeBuffer.LARGEST_KEPT);
        } finally {
            spare.giveBack();
        }
    }
}
