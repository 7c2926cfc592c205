package dev.ergate.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobStatus;
import dev.ergate.StatusDialect;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.GoToEnd;
import dev.ergate.runtime.GoToStep;
import dev.ergate.runtime.PathHint;
import dev.ergate.runtime.StepOptions;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import dev.ergate.testkit.TestRun;
import dev.ergate.testkit.WorkflowTester;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime, driven by the {@link WorkflowTester}, writes the same sequence of states as the
 * original Python Ergate did for the same workflow (recordings in {@code interop/python-ergate}):
 * same status, steps completed, percent completed and return values, update by update.
 */
@DisplayName("The runtime, run by the WorkflowTester, reproduces Python Ergate's recordings")
class PythonRecordingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path recordings() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("interop/python-ergate"), dir.resolve("shared/interop/python-ergate"))) {
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("interop/python-ergate not found above " + Paths.get("").toAbsolutePath());
    }

    record Doubled(int n, List<String> tags, double ratio) {
    }

    record Customer(String user) {
    }

    /** The dependency of step b: a fixed timestamp, so the recording is reproducible. */
    record Timestamp(String iso) {
    }

    @ErgateWorkflow("three_steps")
    static final class ThreeSteps {
        @Step(order = 10)
        Doubled a(@Input int x) {
            return new Doubled(x * 2, List.of("a", "b"), 0.5);
        }

        @Step(order = 20)
        List<Object> b(@Input Doubled doubled, @UserContext Customer customer, @Depends Timestamp timestamp) {
            return List.of(doubled.n(), customer.user(), timestamp.iso());
        }

        @Step(order = 30)
        String c(@Input List<Object> previous) {
            return "done:" + previous.get(0);
        }
    }

    static Workflow branching() {
        return Workflow.builder("branching")
                .step("first", String.class,
                        (in, ctx) -> "a".equals(in) ? GoToStep.of("a2", "A") : GoToStep.of("b2", "B"),
                        StepOptions.paths(PathHint.goTo("a2"), PathHint.goTo("b2")))
                .step("a2", String.class, (in, ctx) -> in + "2")
                .step("a3", String.class, (in, ctx) -> GoToEnd.of(in + "3"), StepOptions.paths(PathHint.end()))
                .step("b2", String.class, (in, ctx) -> in + "2")
                .step("last", String.class, (in, ctx) -> in + "!")
                .build();
    }

    static Workflow linear3() {
        return Workflow.builder("linear3")
                .step("l1", Integer.class, (n, ctx) -> n + 1)
                .step("l2", Integer.class, (n, ctx) -> n * 10)
                .step("l3", Integer.class, (n, ctx) -> AbortJob.of("stop here"))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v2024_context.jsonl", "v2025_branch_a.jsonl", "v2025_branch_b.jsonl", "v2025_abort.jsonl"})
    void sameStatesAsPython(String file) throws IOException {
        boolean v2024 = file.startsWith("v2024");
        JobCodec codec = JobCodec.builder().dialect(v2024 ? StatusDialect.PYTHON_2024 : StatusDialect.PYTHON_2025).build();
        Job submitted = null;
        List<Job> expected = new ArrayList<>();
        for (String line : Files.readAllLines(recordings().resolve(file))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            switch (event.get("event").textValue()) {
                case "submitted" -> submitted = codec.fromTree(event.get("job"));
                case "state.update" -> expected.add(codec.fromTree(event.get("job")));
                default -> { }
            }
        }
        assertThat(submitted).as("submitted event").isNotNull();

        WorkflowTester tester = WorkflowTester.builder()
                .annotated(new ThreeSteps())
                .workflow(branching())
                .workflow(linear3())
                .dependency(Timestamp.class, new Timestamp("2024-06-28T12:00:00+00:00"))
                .afterStepStatus(v2024 ? JobStatus.QUEUED : JobStatus.PENDING)
                .build();
        TestRun run = tester.run(submitted);

        List<Job> actual = run.updates();
        assertThat(actual).as("state updates").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Job want = expected.get(i);
            Job got = actual.get(i);
            String at = file + " update " + (i + 1);
            assertThat(got.id()).as(at + " id").isEqualTo(want.id());
            assertThat(got.status()).as(at + " status").isEqualTo(want.status());
            assertThat(got.stepsCompleted()).as(at + " steps_completed").isEqualTo(want.stepsCompleted());
            assertThat(got.percentCompleted()).as(at + " percent_completed")
                    .isCloseTo(want.percentCompleted(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(got.lastReturnValue().equals(NUMBERS_BY_VALUE, want.lastReturnValue()))
                    .as(at + " last_return_value %s, want %s", got.lastReturnValue(), want.lastReturnValue()).isTrue();
            if (v2024) {
                assertThat(got.stepName()).as(at + " step_name").isEqualTo(want.stepName());
            }
        }
        assertThat(run.status()).as("final status").isEqualTo(expected.get(expected.size() - 1).status());
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
