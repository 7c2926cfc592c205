package dev.ergate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak: mixed faults for {@value #MINUTES_PROPERTY} minutes on one backend ({@value
 * #BACKEND_PROPERTY}: redis, postgres or sqs). Three worker JVMs run the 3-step workflow while a
 * driver, every 2 to 6 s, does one of: SIGKILL a worker and start another, SIGTERM one and start
 * another, push a hostile message, or cut every connection of the workers to the backend for 1 to
 * 3 s (they reach it through a {@link TcpProxy}). Worker 0 is never killed or stopped: it samples
 * its heap after a full GC every 10 s. At the end: zero jobs lost, every dead letter is a hostile
 * message, and worker 0's heap after GC does not grow.
 *
 * <p>Tagged {@code soak}: runs only with {@code -Pfault-soak} (see the module README).
 */
@Tag("soak")
@DisplayName("Soak: mixed faults for N minutes on one backend")
class SoakTest {

    private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
    static final String MINUTES_PROPERTY = "fault.soak.minutes";
    static final String BACKEND_PROPERTY = "fault.soak.backend";
    private static final long STEP_MILLIS = 100;
    private static final long DRAIN_MILLIS = 10_000;
    private static final long HEAP_SAMPLE_MILLIS = 10_000;
    private static final int WORKERS = 3;
    private static final int THREADS = 2;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @Test
    @DisplayName("zero jobs lost and a flat heap after minutes of kills, stops, hostile input and connection cuts")
    void soak() throws Exception {
        long began = System.currentTimeMillis();
        double minutes = Double.parseDouble(System.getProperty(MINUTES_PROPERTY, "10"));
        String kind = System.getProperty(BACKEND_PROPERTY, "redis").trim().toLowerCase(Locale.ROOT);
        FaultScenarios backendTests = switch (kind) {
            case "redis" -> new RedisFaultTest();
            case "postgres" -> new PostgresFaultTest();
            case "sqs" -> new SqsFaultTest();
            default -> throw new IllegalArgumentException(BACKEND_PROPERTY + " must be redis, postgres or sqs, not '"
                    + kind + "'");
        };
        if (kind.equals("sqs")) {
            closeables.add(SqsFaultTest::stopServer); // closed last: the queues are deleted before
        }
        BackendSpec spec = backendTests.newSpec("soak");
        FaultBackend backend = spec.open(Duration.ofMillis(FaultScenarios.LEASE_MILLIS), 8, "ergate-fault-test");
        closeables.add(() -> {
            try {
                backend.dropSpace();
            } finally {
                backend.close();
            }
        });
        URI server = serverOf(spec);
        TcpProxy proxy = TcpProxy.start(server.getHost(), server.getPort());
        closeables.add(proxy);
        BackendSpec proxied = spec.withAddress(spec.address().replace(server.getHost() + ":" + server.getPort(),
                "127.0.0.1:" + proxy.port()));
        Path dir = FaultScenarios.runDir("soak-" + kind);
        FaultScenarios.Feeder feeder = new FaultScenarios.Feeder(backend, 4 * WORKERS * THREADS, 1);
        closeables.add(feeder);

        WorkerProcess[] slots = new WorkerProcess[WORKERS];
        int[] incarnation = new int[WORKERS];
        slots[0] = start(dir, "w0-0", proxied, List.of("-D" + FaultWorker.HEAP_SAMPLE_PROPERTY + "=" + HEAP_SAMPLE_MILLIS));
        for (int s = 1; s < WORKERS; s++) {
            slots[s] = start(dir, "w" + s + "-0", proxied, List.of());
        }
        List<HostileMessages.Hostile> hostile = HostileMessages.all(true);
        int kills = 0;
        int terms = 0;
        int hostileSent = 0;
        int cuts = 0;
        long faultsEnd = began + (long) (minutes * 60_000);
        while (System.currentTimeMillis() < faultsEnd) {
            BackendRestartScenario.hold(Duration.ofMillis(ThreadLocalRandom.current().nextLong(2_000, 6_000)));
            int victim = 1 + ThreadLocalRandom.current().nextInt(WORKERS - 1);
            switch (ThreadLocalRandom.current().nextInt(4)) {
                case 0 -> {
                    slots[victim].kill();
                    slots[victim] = start(dir, "w" + victim + "-" + ++incarnation[victim], proxied, List.of());
                    kills++;
                }
                case 1 -> {
                    WorkerProcess target = slots[victim];
                    target.terminate();
                    OptionalInt exit = target.awaitExit(Duration.ofMillis(DRAIN_MILLIS + 20_000));
                    assertThat(exit).as("%s exited after SIGTERM", target.name()).isPresent();
                    slots[victim] = start(dir, "w" + victim + "-" + ++incarnation[victim], proxied, List.of());
                    terms++;
                }
                case 2 -> {
                    backend.putRaw(hostile.get(ThreadLocalRandom.current().nextInt(hostile.size())).bytes());
                    hostileSent++;
                }
                default -> {
                    proxy.down();
                    BackendRestartScenario.hold(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1_000, 3_000)));
                    proxy.up();
                    cuts++;
                }
            }
            LOG.info("soak {}: {} kills, {} SIGTERMs, {} hostile, {} connection cuts; {} jobs put, {} queued", kind,
                    kills, terms, hostileSent, cuts, feeder.put(), backend.queued());
        }
        int jobs;
        try (feeder) {
            jobs = feeder.stop();
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
                .until(() -> backend.queued() == 0 && Outcome.finalCount(backend.store(), jobs) == jobs);
        long finished = System.currentTimeMillis();
        assertThat(slots[0].isAlive()).as("worker 0, never killed, is still up").isTrue();
        for (WorkerProcess slot : slots) {
            slot.kill();
        }

        List<StepLog.Event> events = StepLog.readAll(dir);
        Outcome outcome = Outcome.of(Outcome.lost(backend.store(), jobs), events);
        List<Long> heap = heapSamples(dir.resolve("w0-0.steps"));
        long firstMiB = heap.isEmpty() ? -1 : heap.get(0) >> 20;
        long lastMiB = heap.isEmpty() ? -1 : heap.get(heap.size() - 1) >> 20;
        long maxMiB = heap.stream().mapToLong(Long::longValue).max().orElse(-1) >> 20;
        Figures.record(new Figures.Row("soak " + minutes + " min (mixed faults)", backendTests.backendName(), "soak",
                jobs, kills + " SIGKILL, " + terms + " SIGTERM, " + hostileSent + " hostile, " + cuts
                        + " connection cuts", outcome.lost().size(), outcome.duplicates(),
                "worker 0 heap after GC: first " + firstMiB + " MiB, max " + maxMiB + " MiB, last " + lastMiB
                        + " MiB (" + heap.size() + " samples)", (finished - began) / 1000));

        assertThat(outcome.lost()).as("lost jobs").isEmpty();
        // a hostile message that is a valid job (NUL in a value, stored faithfully) may run too: count the fed jobs only
        List<StepLog.Event> fedJobEvents = events.stream()
                .filter(e -> hostile.stream().noneMatch(bad -> e.jobId().equals(bad.jobId()))).toList();
        assertThat(Outcome.distinctSteps(fedJobEvents)).as("(job, step) pairs of the fed jobs that ran")
                .isEqualTo(3L * jobs);
        assertThat(backend.deadLetters()).as("dead letters that are not hostile messages")
                .allMatch(dead -> hostile.stream().anyMatch(bad -> dead.text().startsWith(bad.textStart())));
        assertThat(heap).as("heap samples of worker 0").hasSizeGreaterThanOrEqualTo(3);
        // no leak: the last third of the samples stays within 32 MiB of the first third's highest
        int third = heap.size() / 3;
        long early = heap.subList(0, third).stream().mapToLong(Long::longValue).max().orElseThrow();
        long late = heap.subList(heap.size() - third, heap.size()).stream().mapToLong(Long::longValue).max()
                .orElseThrow();
        assertThat(late >> 20).as("worker 0's heap after GC late in the run (MiB), early max %d MiB", early >> 20)
                .isLessThan((early >> 20) + 32);
    }

    private WorkerProcess start(Path dir, String name, BackendSpec spec, List<String> jvmOptions) throws Exception {
        WorkerProcess worker = WorkerProcess.start(dir, name, spec, FaultScenarios.LEASE_MILLIS, STEP_MILLIS, THREADS,
                DRAIN_MILLIS, "sleep", jvmOptions);
        closeables.add(worker);
        return worker;
    }

    /** @return host and port of the server a spec's address names (redis://, jdbc:postgresql://, http://) */
    static URI serverOf(BackendSpec spec) {
        String address = spec.address();
        URI uri = URI.create(address.startsWith("jdbc:") ? address.substring("jdbc:".length()) : address);
        int port = uri.getPort() >= 0 ? uri.getPort() : switch (spec.kind()) {
            case "redis" -> 6379;
            case "postgres" -> 5432;
            default -> throw new IllegalArgumentException("no port in " + address);
        };
        return URI.create("tcp://" + uri.getHost() + ":" + port);
    }

    /** @return the heap-after-GC samples a worker wrote to its step log, in order */
    static List<Long> heapSamples(Path steps) throws Exception {
        List<Long> samples = new ArrayList<>();
        if (Files.exists(steps)) {
            for (String line : Files.readAllLines(steps)) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[0].equals("MARK") && parts[1].startsWith(FaultWorker.HEAP_MARK)) {
                    samples.add(Long.parseLong(parts[1].substring(FaultWorker.HEAP_MARK.length())));
                }
            }
        }
        return samples;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        closeables.clear();
    }
}
