package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.InteropVectors.VectorJob;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Every job recorded from Python Ergate")
class InteropCodecTest {

    static List<VectorJob> vectorJobs() {
        return InteropVectors.jobs();
    }

    @Test
    @DisplayName("is found: the vector folder holds both releases' files")
    void vectorsArePresent() {
        assertThat(InteropVectors.files()).contains("v2024_defaults.json", "v2024_linear.jsonl", "v2025_paths.jsonl");
        assertThat(vectorJobs()).hasSizeGreaterThan(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorJobs")
    @DisplayName("decodes with its dialect and encodes back to exactly the same JSON when codes are written")
    void roundTripWithCodes(VectorJob vector) {
        JobCodec codec = JobCodec.builder().dialect(vector.dialect()).writeStatusCodes(true).build();

        Job job = codec.decode(vector.job().toString());

        assertThat(codec.toTree(job)).isEqualTo(vector.job());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorJobs")
    @DisplayName("encodes back to the same JSON with the status as a name when names are written")
    void roundTripWithNames(VectorJob vector) {
        JobCodec reader = JobCodec.builder().dialect(vector.dialect()).build();

        Job job = reader.decode(vector.job().toString());
        JsonNode written = JobCodec.standard().toTree(job);

        ObjectNode expected = vector.job().deepCopy();
        if (expected.has("status")) {
            JobStatus status = vector.dialect().status(expected.get("status").asLong()).orElseThrow();
            expected.set("status", TextNode.valueOf(status.name()));
        }
        assertThat(written).isEqualTo(expected);
        // and what Java writes reads back as the same job
        assertThat(JobCodec.standard().decode(JobCodec.standard().encode(job))).isEqualTo(job);
    }

    @Test
    @DisplayName("keeps Python's field values: ids as given, times, values and unknown fields")
    void fieldValues() {
        JobCodec v2024 = JobCodec.builder().dialect(StatusDialect.PYTHON_2024).build();
        Job context = v2024.decode(vector("v2024_context.jsonl", 6).job().toString());
        assertThat(context.id()).isEqualTo(JobId.of(7));
        assertThat(context.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(context.stepsCompleted()).isEqualTo(2);
        assertThat(context.percentCompleted()).isEqualTo(66.66666666666666);
        assertThat(context.userContext().get("user").asText()).isEqualTo("alice");
        assertThat(context.lastReturnValue().get(2).asText()).isEqualTo("2024-06-28T12:00:00+00:00");
        assertThat(context.requestedStartTime()).hasToString("2024-06-28T12:00:00Z");

        JobCodec v2025 = JobCodec.builder().dialect(StatusDialect.PYTHON_2025).build();
        VectorJob pending = vector("v2025_branch_b.jsonl", 3);
        Job job = v2025.decode(pending.job().toString());
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.extraField("current_step")).isEqualTo(pending.job().get("current_step"));
        assertThat(job.id()).isEqualTo(JobId.of("b-b"));
    }

    private static VectorJob vector(String file, int line) {
        return vectorJobs().stream()
                .filter(v -> v.file().equals(file) && v.line() == line)
                .findFirst().orElseThrow();
    }
}
