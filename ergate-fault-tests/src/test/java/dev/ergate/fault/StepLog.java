package dev.ergate.fault;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records step executions outside Ergate, in an append-only file per worker incarnation: one line
 * {@code START|END job step epochMillis} per event, each written with one unbuffered
 * {@code write} so a SIGKILL never loses a line that was written (the page cache keeps it).
 * Thread-safe (writes are synchronized).
 */
final class StepLog implements AutoCloseable {

    /** One recorded event. */
    record Event(String file, String kind, String jobId, String step, long atMillis) {
    }

    private final FileOutputStream out;

    StepLog(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("can't open step log " + file, e);
        }
    }

    void started(String jobId, String step) {
        write("START", jobId, step);
    }

    void ended(String jobId, String step) {
        write("END", jobId, step);
    }

    /** Marks a moment (e.g. the shutdown hook running) with a pseudo event. */
    void mark(String what) {
        write("MARK", what, "-");
    }

    private synchronized void write(String kind, String jobId, String step) {
        byte[] line = (kind + " " + jobId + " " + step + " " + System.currentTimeMillis() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException("can't write step log", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** @return every event of every {@code *.steps} file in {@code dir}, file by file, in order */
    static List<Event> readAll(Path dir) throws IOException {
        List<Event> events = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return events;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".steps")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 4) { // a line cut by a kill has fewer parts: ignored
                        events.add(new Event(file.getFileName().toString(), parts[0], parts[1], parts[2],
                                Long.parseLong(parts[3])));
                    }
                }
            }
        }
        return events;
    }
}
