package dev.ergate.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one result row per scenario run to {@code target/fault-figures.md} (and logs it): the
 * table RELIABILITY.md is filled from. Thread-safe (synchronized).
 */
final class Figures {

    private static final Logger LOG = LoggerFactory.getLogger(Figures.class);
    private static final Path FILE = Path.of("target", "fault-figures.md");

    private Figures() {
    }

    /** One row: what ran, on what, and what happened. */
    record Row(String scenario, String backend, String scale, int jobs, String faults, int lost, int duplicates,
            String recovery, long seconds) {

        String markdown() {
            return "| " + scenario + " | " + backend + " | " + scale + " | " + jobs + " | " + faults + " | " + lost
                    + " | " + duplicates + " | " + recovery + " | " + seconds + " s |";
        }
    }

    static synchronized void record(Row row) {
        LOG.info("FIGURES {}", row.markdown());
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, row.markdown() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("can't write {}", FILE, e);
        }
    }
}
