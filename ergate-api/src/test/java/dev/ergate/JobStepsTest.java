package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.internal.JobSteps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The runtime's per-step copies without a builder are exactly what the builder makes. */
class JobStepsTest {

    private static final String[] DOCUMENTS = {
        "{\"workflow_name\":\"w\"}",
        "{\"workflow_name\":\"w\",\"id\":\"a\",\"status\":\"QUEUED\",\"current_step\":1,\"other\":[1,2]}",
        "{\"workflow_name\":\"w\",\"ergate_attempt\":2,\"x\":1,\"ergate_starts\":3,\"current_step\":0,\"ergate_queued_at\":5}",
        "{\"workflow_name\":\"w\",\"steps_completed\":2,\"percent_completed\":50.0,\"last_return_value\":{\"a\":1},"
                + "\"ergate_queued_at\":7,\"y\":\"z\",\"current_step\":2}",
        "{\"workflow_name\":\"w\",\"f1\":1,\"f2\":2,\"f3\":3,\"f4\":4,\"f5\":5,\"f6\":6,\"f7\":7,\"f8\":8,\"f9\":9,"
                + "\"current_step\":4,\"ergate_starts\":1}",
    };

    private static List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (String document : DOCUMENTS) {
            jobs.add(JobCodec.standard().decode(document.getBytes(StandardCharsets.UTF_8)));
        }
        jobs.add(Job.builder().workflowName("built").id("b").build());
        return jobs;
    }

    private static void assertSame(Job expected, Job actual) {
        assertThat(actual).isEqualTo(expected);
        assertThat(new ArrayList<>(actual.extraFields().keySet()))
                .containsExactlyElementsOf(expected.extraFields().keySet());
        assertThat(new String(JobCodec.standard().encode(actual), StandardCharsets.UTF_8))
                .isEqualTo(new String(JobCodec.standard().encode(expected), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("the RUNNING copy: status, step name and one extra field, fields absent from the document stay absent")
    void running() {
        for (Job job : jobs()) {
            for (int index = 0; index < 6; index++) {
                Job expected = job.toBuilder().status(JobStatus.RUNNING).stepName("s" + index)
                        .extraField(RuntimeFields.CURRENT_STEP, IntNode.valueOf(index)).build();
                Job actual = JobSteps.running(job, "s" + index, RuntimeFields.CURRENT_STEP, IntNode.valueOf(index));
                assertSame(expected, actual);
                if (job.extraFields().equals(expected.extraFields())) {
                    assertThat(actual.extraFields()).isSameAs(job.extraFields()); // shared, not copied
                }
            }
        }
    }

    @Test
    @DisplayName("the state after a step: four extra fields set or removed in order, the return value copied")
    void afterStep() {
        ObjectNode returned = JsonNodeFactory.instance.objectNode().put("n", 1);
        JsonNode[][] extras = {
            {IntNode.valueOf(1), null, null, LongNode.valueOf(99)},
            {null, null, null, null},
            {IntNode.valueOf(4), IntNode.valueOf(2), null, LongNode.valueOf(5)},
            {IntNode.valueOf(0), null, IntNode.valueOf(1), null},
        };
        for (Job job : jobs()) {
            for (JsonNode[] values : extras) {
                for (JobStatus status : new JobStatus[] {JobStatus.QUEUED, JobStatus.COMPLETED}) {
                    Job expected = job.toBuilder().status(status).stepName(null).stepsCompleted(3)
                            .percentCompleted(75.0).lastReturnValue(returned)
                            .extraField(RuntimeFields.CURRENT_STEP, values[0])
                            .extraField(RuntimeFields.ATTEMPT, values[1])
                            .extraField(RuntimeFields.STARTS, values[2])
                            .extraField(RuntimeFields.QUEUED_AT, values[3]).build();
                    Job actual = JobSteps.afterStep(job, status, 3, 75.0, returned,
                            RuntimeFields.CURRENT_STEP, values[0], RuntimeFields.ATTEMPT, values[1],
                            RuntimeFields.STARTS, values[2], RuntimeFields.QUEUED_AT, values[3]);
                    assertSame(expected, actual);
                }
            }
        }
        Job after = JobSteps.afterStep(jobs().get(0), JobStatus.QUEUED, 1, 50.0, returned,
                "a", null, "b", null, "c", null, "d", TextNode.valueOf("x"));
        returned.put("n", 2);
        assertThat(after.lastReturnValue().get("n").intValue()).isEqualTo(1); // its own copy
    }

    @Test
    @DisplayName("progress out of range is refused as the builder refuses it")
    void refusesBadProgress() {
        Job job = jobs().get(0);
        assertThatThrownBy(() -> JobSteps.afterStep(job, JobStatus.QUEUED, -1, 0.0, TextNode.valueOf("x"),
                "a", null, "b", null, "c", null, "d", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps_completed");
        assertThatThrownBy(() -> JobSteps.afterStep(job, JobStatus.QUEUED, 1, 100.5, TextNode.valueOf("x"),
                "a", null, "b", null, "c", null, "d", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent_completed");
    }
}
