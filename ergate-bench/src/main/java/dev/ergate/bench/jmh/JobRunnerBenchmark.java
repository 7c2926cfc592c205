package dev.ergate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.bench.BenchWorkflow;
import dev.ergate.runtime.JobRunner;
import dev.ergate.runtime.StepResult;
import dev.ergate.runtime.Workflow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's cost of one step with no backend at all: {@link JobRunner#runStep(Job)} of the
 * first no-op step of a 3-step workflow (find the workflow and step, build the RUNNING state,
 * convert the input, run the step, build the next state and the job to put). No queue, no
 * store, no codec, no threads. Not thread-safe (JMH state).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class JobRunnerBenchmark {

    /** Characters of the payload text. */
    @Param({"100"})
    public int payloadBytes;

    private JobRunner runner = JobRunner.builder().build();
    private Job job = Job.of("unset");

    /** Registers the workflow and builds a fresh job. */
    @Setup
    public void setUp() {
        runner = JobRunner.builder().build();
        Workflow.Builder workflow = Workflow.builder(BenchWorkflow.NAME);
        for (int i = 1; i <= 3; i++) {
            workflow.step("step-" + i, JsonNode.class, (input, context) -> input);
        }
        runner.register(workflow.build());
        job = BenchWorkflow.job(JobId.random(), BenchWorkflow.payload(payloadBytes));
    }

    /** Stops the runner's timeout threads. */
    @TearDown
    public void tearDown() {
        runner.close();
    }

    /** {@return the step's outcome: the new state and the job to put next} */
    @Benchmark
    public StepResult runStep() {
        return runner.runStep(job);
    }
}
