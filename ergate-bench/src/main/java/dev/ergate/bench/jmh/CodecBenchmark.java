package dev.ergate.bench.jmh;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.bench.BenchWorkflow;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of writing and reading one job as JSON with {@link JobCodec#standard()}: the job of a
 * step in the middle of a workflow (id, step index, progress, a small user context, and a text
 * payload of {@code payloadBytes} characters as both initial input and last return value). Each
 * queue adapter pays one encode per put and one decode per take. Not thread-safe (JMH state).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CodecBenchmark {

    /** Characters of the payload text. */
    @Param({"100", "10000"})
    public int payloadBytes;

    private final JobCodec codec = JobCodec.standard();
    private Job job = Job.of("unset");
    private byte[] encoded = new byte[0];

    /** Builds the job and its JSON. */
    @Setup
    public void setUp() {
        ObjectNode context = JsonNodeFactory.instance.objectNode().put("tenant", "acme").put("attempt", 1);
        job = BenchWorkflow.job(JobId.random(), BenchWorkflow.payload(payloadBytes)).toBuilder()
                .status(JobStatus.QUEUED)
                .stepsCompleted(1)
                .percentCompleted(33.333333333333336)
                .lastReturnValue(BenchWorkflow.payload(payloadBytes))
                .userContext(context)
                .extraField("current_step", IntNode.valueOf(1))
                .build();
        encoded = codec.encode(job);
    }

    /** {@return the job's JSON} */
    @Benchmark
    public byte[] encode() {
        return codec.encode(job);
    }

    /** {@return the job read back} */
    @Benchmark
    public Job decode() {
        return codec.decode(encoded);
    }
}
