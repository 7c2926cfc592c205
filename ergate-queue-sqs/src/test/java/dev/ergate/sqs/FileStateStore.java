package dev.ergate.sqs;

import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.spi.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * A state store in a directory, one JSON file per job, each replaced atomically: it survives a
 * worker killed with SIGKILL, which the crash test needs (SQS has no store of its own).
 * Thread-safe for distinct jobs; last writer wins per job.
 */
final class FileStateStore implements StateStore {

    private final Path dir;

    FileStateStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public void update(Job job) {
        JobId id = Objects.requireNonNull(job.id(), "job id");
        Path target = file(id);
        try {
            Path tmp = Files.createTempFile(dir, "tmp-", ".json");
            Files.write(tmp, JobCodec.standard().encode(job));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the state of job " + id, e);
        }
    }

    Optional<Job> find(JobId id) {
        Path file = file(id);
        try {
            return Files.exists(file) ? Optional.of(JobCodec.standard().decode(Files.readAllBytes(file))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the state of job " + id, e);
        }
    }

    private Path file(JobId id) {
        return dir.resolve("job-" + id.value() + ".json");
    }
}
