package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobTest {

    @Test
    @DisplayName("a new job has Python's defaults")
    void defaults() {
        Job job = Job.of("my_first_workflow");

        assertThat(job.id()).isNull();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.stepsCompleted()).isZero();
        assertThat(job.percentCompleted()).isZero();
        assertThat(job.initialInputValue()).isEqualTo(NullNode.getInstance());
        assertThat(job.extraFields()).isEmpty();
        // and it writes exactly what Python's Job(workflow_name=...) dumps, status aside
        JobCodec v2024 = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).writeStatusCodes(true).build();
        assertThat(v2024.toTree(job)).isEqualTo(InteropVectors.parse(InteropVectors.readLines("v2024_defaults.json").get(0)));
    }

    @Test
    @DisplayName("toBuilder changes a copy and leaves the original as it was")
    void toBuilderCopies() {
        Job original = Job.builder().workflowName("w").extraField("x", TextNode.valueOf("1")).build();
        Job changed = original.toBuilder().status(JobStatus.RUNNING).extraField("x", null).build();

        assertThat(original.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(original.extraFields()).containsKey("x");
        assertThat(changed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(changed.extraFields()).isEmpty();
        assertThat(changed).isNotEqualTo(original);
        assertThat(changed.toBuilder().status(JobStatus.QUEUED).extraField("x", TextNode.valueOf("1")).build())
                .isEqualTo(original).hasSameHashCodeAs(original);
    }

    @Test
    @DisplayName("a builder used again after build() changes the next job only, not the one it built")
    void builderReusedAfterBuild() {
        Job.Builder builder = Job.builder().workflowName("w").extraField("x", TextNode.valueOf("1"));
        Job first = builder.build();

        Job second = builder.extraField("y", TextNode.valueOf("2")).extraField("x", null).build();

        assertThat(first.extraFields()).containsOnlyKeys("x");
        assertThat(second.extraFields()).containsOnlyKeys("y");
        assertThat(first.toBuilder().extraField("z", TextNode.valueOf("3")).build().extraFields())
                .containsOnlyKeys("x", "z");
        assertThat(first.extraFields()).containsOnlyKeys("x");
    }

    @Test
    @DisplayName("a changed copy whose extra fields did not change shares them instead of copying the map")
    void unchangedExtraFieldsAreShared() {
        Job original = Job.builder().workflowName("w").extraField("current_step", IntNode.valueOf(1)).build();

        Job sameExtras = original.toBuilder().status(JobStatus.RUNNING)
                .extraField("current_step", IntNode.valueOf(1)).extraField("absent", null).build();
        Job changedExtras = original.toBuilder().extraField("current_step", IntNode.valueOf(2)).build();

        assertThat(sameExtras.extraFields()).isSameAs(original.extraFields());
        assertThat(changedExtras.extraFields()).isNotSameAs(original.extraFields())
                .containsEntry("current_step", IntNode.valueOf(2));
        assertThat(original.extraField("current_step")).isEqualTo(IntNode.valueOf(1));
        assertThatThrownBy(() -> sameExtras.extraFields().put("x", NullNode.getInstance()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("deepCopy gives a job whose JSON objects and arrays can be changed without changing the original")
    void deepCopyOwnsItsTrees() {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("n", 1);
        Job original = Job.builder().workflowName("w").initialInputValue(input).lastReturnValue(input)
                .userContext(input).extraField("extra", input).build();

        Job copy = original.deepCopy();
        ((ObjectNode) copy.initialInputValue()).put("n", 2);
        ((ObjectNode) copy.lastReturnValue()).put("n", 2);
        ((ObjectNode) copy.userContext()).put("n", 2);
        ((ObjectNode) copy.extraField("extra")).put("n", 2);

        assertThat(original.initialInputValue()).isEqualTo(input);
        assertThat(original.lastReturnValue()).isEqualTo(input);
        assertThat(original.userContext()).isEqualTo(input);
        assertThat(original.extraField("extra")).isEqualTo(input);
        assertThat(original.deepCopy()).isEqualTo(original);
        assertThat(JobCodec.standard().encodeToString(original.deepCopy()))
                .isEqualTo(JobCodec.standard().encodeToString(original));
    }

    @Test
    @DisplayName("deepCopy of a job holding only scalar JSON values is the job itself: nothing in it can change")
    void deepCopyOfScalarsIsTheSameJob() {
        Job job = Job.builder().workflowName("w").initialInputValue(TextNode.valueOf("payload"))
                .extraField("current_step", IntNode.valueOf(1)).build();

        assertThat(job.deepCopy()).isSameAs(job);
    }

    @Test
    @DisplayName("the builder copies JSON values, so changing the caller's tree later changes no job")
    void copiesValues() {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("n", 1);
        Job job = Job.builder().workflowName("w").initialInputValue(input).build();

        input.put("n", 2);

        assertThat(job.initialInputValue().get("n").intValue()).isEqualTo(1);
    }

    @Test
    @DisplayName("build refuses invalid values, naming the field and the value")
    void validates() {
        assertThatThrownBy(() -> Job.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workflow_name");
        assertThatThrownBy(() -> Job.builder().workflowName(" ").build())
                .hasMessageContaining("workflow_name").hasMessageContaining("' '");
        assertThatThrownBy(() -> Job.builder().workflowName("w").stepsCompleted(-2).build())
                .hasMessageContaining("steps_completed").hasMessageContaining("-2");
        assertThatThrownBy(() -> Job.builder().workflowName("w").percentCompleted(Double.NaN).build())
                .hasMessageContaining("percent_completed").hasMessageContaining("NaN");
        assertThatThrownBy(() -> Job.builder().workflowName("w").extraField("status", NullNode.getInstance()))
                .hasMessageContaining("status");
    }

    @Test
    @DisplayName("ids of different kinds are different ids")
    void jobIds() {
        assertThat(JobId.of("7")).isNotEqualTo(JobId.of(7));
        assertThat(JobId.of(7)).isEqualTo(JobId.of(7)).hasToString("7");
        assertThat(JobId.random()).isNotEqualTo(JobId.random());
        assertThatThrownBy(() -> JobId.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("statuses know which are final, and dialects map both ways")
    void statuses() {
        assertThat(JobStatus.values()).filteredOn(JobStatus::isFinal)
                .containsExactlyInAnyOrder(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.ABORTED, JobStatus.CANCELLED);
        for (StatusDialect dialect : StatusDialect.values()) {
            for (JobStatus status : JobStatus.values()) {
                dialect.code(status).ifPresent(code -> assertThat(dialect.status(code)).contains(status));
            }
        }
        assertThat(StatusDialect.PYTHON_2024.code(JobStatus.SCHEDULED)).contains(4);
        assertThat(StatusDialect.PYTHON_2025.code(JobStatus.SCHEDULED)).contains(1);
        assertThat(StatusDialect.PYTHON_2024.status(7)).isEmpty();
    }
}
