package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobStatus;
import dev.ergate.StatusDialect;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Provides;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every scenario recorded from Python Ergate ({@code shared/interop/python-ergate}): an
 * equivalent Java workflow, fed the submitted job, must write the same sequence of states.
 */
class PythonInteropReplayTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The recordings: the repository's copy ({@code interop/python-ergate} at its root), else the
     * original ({@code shared/interop/python-ergate} beside or above the repository), found by
     * walking up from the module folder, so it works wherever the repository is cloned.
     */
    static Path interopDir() {
        for (String folder : new String[] {"interop/python-ergate", "shared/interop/python-ergate"}) {
            for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(folder);
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("neither interop/python-ergate nor shared/interop/python-ergate found above "
                + Paths.get("").toAbsolutePath());
    }

    static Stream<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(interopDir())) {
            List<Path> list = files.filter(p -> p.getFileName().toString().matches("v20\\d\\d_.*\\.jsonl?"))
                    .sorted().toList();
            assertThat(list).as("recorded scenarios").hasSizeGreaterThanOrEqualTo(9);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void javaReproducesPythonErgate(Path file) throws IOException {
        String name = file.getFileName().toString();
        boolean v2024 = name.startsWith("v2024_");
        JobCodec codec = JobCodec.builder().dialect(v2024 ? StatusDialect.PYTHON_2024 : StatusDialect.PYTHON_2025).build();
        if (name.endsWith(".json")) {
            Job defaults = codec.decode(Files.readAllBytes(file));
            Job java = Job.of(defaults.workflowName());
            assertThat(defaults).isEqualTo(java);
            return;
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                events.add(MAPPER.readTree(line));
            }
        }
        assertThat(events.get(0).get("event").textValue()).isEqualTo("submitted");
        Job submitted = codec.fromTree(events.get(0).get("job"));

        JobRunner runner = JobRunner.builder()
                .afterStepStatus(v2024 ? JobStatus.QUEUED : JobStatus.PENDING)
                .build();
        runner.register(workflowFor(submitted.workflowName()));

        List<String> actualEvents = new ArrayList<>();
        List<Job> actualJobs = new ArrayList<>();
        Job current = submitted;
        for (int guard = 0; guard < 50; guard++) {
            StepResult result = runner.runStep(current, running -> {
                actualEvents.add("state.update");
                actualJobs.add(running);
            });
            Job state = result.state().orElseThrow();
            actualEvents.add("state.update");
            actualJobs.add(state);
            if (state.status().isFinal()) {
                break;
            }
            if (result.next().isPresent()) {
                actualEvents.add("queue.put");
                actualJobs.add(result.next().get());
                current = result.next().get();
            } else {
                // 2025 style: a publisher puts the PENDING job back on the queue as QUEUED
                assertThat(state.status()).isEqualTo(JobStatus.PENDING);
                current = state.toBuilder().status(JobStatus.QUEUED).build();
            }
        }

        List<String> expectedEvents = events.subList(1, events.size()).stream()
                .map(e -> e.get("event").textValue()).toList();
        assertThat(actualEvents).as("event kinds").isEqualTo(expectedEvents);
        for (int i = 0; i < expectedEvents.size(); i++) {
            JsonNode expectedTree = events.get(i + 1).get("job");
            Job expected = codec.fromTree(expectedTree);
            Job actual = actualJobs.get(i);
            String at = name + " event " + (i + 1) + " (" + expectedEvents.get(i) + ")";
            assertThat(actual.status()).as(at + " status").isEqualTo(expected.status());
            assertThat(actual.stepsCompleted()).as(at + " steps_completed").isEqualTo(expected.stepsCompleted());
            assertThat(actual.percentCompleted()).as(at + " percent_completed")
                    .isCloseTo(expected.percentCompleted(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(sameJson(actual.lastReturnValue(), expected.lastReturnValue()))
                    .as(at + " last_return_value: " + actual.lastReturnValue() + " vs " + expected.lastReturnValue())
                    .isTrue();
            assertThat(actual.id()).as(at + " id").isEqualTo(expected.id());
            assertThat(actual.userContext()).as(at + " user_context").isEqualTo(expected.userContext());
            if (expectedTree.has("step_name")) {
                assertThat(actual.stepName()).as(at + " step_name").isEqualTo(expected.stepName());
            }
            if (expectedTree.has("current_step") && actual.status() != JobStatus.COMPLETED) {
                assertThat(actual.extraField("current_step")).as(at + " current_step")
                        .isEqualTo(expectedTree.get("current_step"));
            }
            if (expected.status() == JobStatus.FAILED) {
                assertThat(actual.exceptionTraceback()).as(at + " exception_traceback").contains("boom at step two");
            }
        }
    }

    private static boolean sameJson(JsonNode a, JsonNode b) {
        Comparator<JsonNode> numbersByValue = (x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        };
        return a.equals(numbersByValue, b);
    }

    // ------------------------------------------------------------ the Java side of each scenario

    static Workflow workflowFor(String name) {
        return switch (name) {
            case "my_first_workflow" -> Workflow.builder(name)
                    .step("step_1", Integer.class, (x, ctx) -> x + 1)
                    .step("step_2", Integer.class, (x, ctx) -> null)
                    .build();
            case "three_steps" -> Workflow.fromAnnotated(new ThreeSteps());
            case "aborting" -> Workflow.builder(name)
                    .step("s1", Object.class, (x, ctx) -> 1)
                    .step("s2", Integer.class, (x, ctx) -> {
                        throw new AbortJob("customer cancelled");
                    })
                    .step("s3", Object.class, (x, ctx) -> 3)
                    .build();
            case "failing" -> Workflow.builder(name)
                    .step("f1", Object.class, (x, ctx) -> 1)
                    .step("f2", Integer.class, (x, ctx) -> {
                        throw new IllegalArgumentException("boom at step two");
                    })
                    .build();
            case "workflow_with_paths" -> Workflow.fromAnnotated(new WorkflowWithPaths());
            case "branching" -> Workflow.builder(name)
                    .step("first", String.class, (x, ctx) -> "a".equals(x) ? GoToStep.of("a2", "A") : GoToStep.of("b2", "B"),
                            StepOptions.paths(PathHint.goTo("a2"), PathHint.goTo("b2")))
                    .step("a2", String.class, (x, ctx) -> x + "2")
                    .step("a3", String.class, (x, ctx) -> GoToEnd.of(x + "3"), StepOptions.paths(PathHint.end()))
                    .step("b2", String.class, (x, ctx) -> x + "2")
                    .step("last", String.class, (x, ctx) -> x + "!")
                    .build();
            case "linear3" -> Workflow.builder(name)
                    .step("l1", Integer.class, (x, ctx) -> x + 1)
                    .step("l2", Integer.class, (x, ctx) -> x * 10)
                    .step("l3", Integer.class, (x, ctx) -> AbortJob.of("stop here"))
                    .build();
            default -> throw new IllegalArgumentException("no Java equivalent for workflow " + name);
        };
    }

    record Doubled(int n, List<String> tags, double ratio) {
    }

    record User(String user) {
    }

    record Stamp(String iso) {
    }

    @ErgateWorkflow("three_steps")
    static final class ThreeSteps {
        @Provides
        Stamp stamp() {
            return new Stamp("2024-06-28T12:00:00+00:00");
        }

        @Step(order = 1)
        Doubled a(@Input int x) {
            return new Doubled(2 * x, List.of("a", "b"), 0.5);
        }

        @Step(order = 2)
        List<Object> b(@Input Doubled value, @UserContext User context, @Depends Stamp stamp) {
            return List.of(value.n(), context.user(), stamp.iso());
        }

        @Step(order = 3)
        String c(@Input List<Object> values) {
            return "done:" + values.get(0);
        }
    }

    @ErgateWorkflow("workflow_with_paths")
    static final class WorkflowWithPaths {
        @Step(order = 1)
        int step_1() {
            return 1;
        }

        @Step(order = 2, paths = "step_3")
        Object step_2() {
            throw new GoToStep("step_3", 2);
        }

        @Step(order = 3, paths = Step.END)
        Object step_5() {
            return GoToEnd.of(5);
        }

        @Step(order = 4)
        int step_3() {
            return 3;
        }

        @Step(order = 5, paths = {"step_7", Step.END, Step.NEXT})
        Object step_4(@Input int x) {
            if (x % 2 == 1) {
                return GoToStep.of("step_7", 4);
            }
            if (x > 6) {
                return GoToEnd.of(x);
            }
            return 4;
        }

        @Step(order = 6)
        int step_6() {
            return 6;
        }

        @Step(order = 7)
        int step_7() {
            return 7;
        }
    }

}
