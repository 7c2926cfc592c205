package dev.ergate.sqs;

import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateOptions;
import dev.ergate.runtime.StepFunction;
import dev.ergate.runtime.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The worker JVM of {@link SqsCrashTest}: runs the 3-step "crash" workflow from an SQS queue,
 * writing job states to a {@link FileStateStore} and a line "start JOB STEP" / "end JOB STEP"
 * to its own run log around every step (outside Ergate, so it survives the JVM being killed).
 *
 * <p>Arguments: SQS endpoint, queue URL, state directory, run log file, step time in ms.
 */
public final class CrashWorkerMain {

    private CrashWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String queueUrl = args[1];
        Path stateDir = Path.of(args[2]);
        Path runLog = Path.of(args[3]);
        long stepMillis = Long.parseLong(args[4]);
        SqsJobQueue queue = SqsJobQueue.builder()
                .options(SqsOptions.builder().endpoint(endpoint).region("us-east-1")
                        .credentials(SqsTestBackend.credentials()).build())
                .queueUrl(queueUrl)
                .queueOptions(SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(2)).build())
                .build();
        Workflow workflow = Workflow.builder("crash")
                .step("one", Integer.class, recorded(runLog, "one", stepMillis, n -> n + 1))
                .step("two", Integer.class, recorded(runLog, "two", stepMillis, n -> n * 10))
                .step("three", Integer.class, recorded(runLog, "three", stepMillis, n -> n + 5))
                .build();
        Ergate app = Ergate.builder(queue, new FileStateStore(stateDir))
                .options(ErgateOptions.builder().concurrency(1).handleSignals(false).build())
                .build()
                .registerWorkflow(workflow);
        app.run();
    }

    private interface Calc {
        int apply(int n);
    }

    private static StepFunction<Integer> recorded(Path log, String step, long millis, Calc calc) {
        return (n, ctx) -> {
            String job = String.valueOf(ctx.job().id());
            append(log, "start " + job + " " + step);
            Thread.sleep(millis);
            append(log, "end " + job + " " + step);
            return calc.apply(n);
        };
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.write(log, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
