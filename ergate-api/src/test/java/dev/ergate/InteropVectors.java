package dev.ergate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Python Ergate reference vectors, kept in the repository under {@code interop/python-ergate}
 * (a copy of {@code shared/interop/python-ergate}; {@link InteropCopyTest} keeps them equal).
 */
final class InteropVectors {

    static final String FOLDER = "interop/python-ergate";

    private static final ObjectMapper JSON = new ObjectMapper();

    private InteropVectors() {
    }

    /** One job object from a file: which file, which line, which event, and the object. */
    record VectorJob(String file, int line, String event, JsonNode job) {
        StatusDialect dialect() {
            return file.startsWith("v2024_") ? StatusDialect.PYTHON_2024 : StatusDialect.PYTHON_2025;
        }

        @Override
        public String toString() {
            return file + ":" + line + " (" + event + ")";
        }
    }

    /** @return the folder, found by walking up from the working directory to the repository root */
    static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FOLDER);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + FOLDER + " folder above " + Path.of("").toAbsolutePath());
    }

    /** @return the vector files' names, sorted */
    static List<String> files() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".json") || name.endsWith(".jsonl"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every job object of every file */
    static List<VectorJob> jobs() {
        List<VectorJob> jobs = new ArrayList<>();
        for (String file : files()) {
            List<String> lines = readLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(line);
                if (file.endsWith(".jsonl")) {
                    jobs.add(new VectorJob(file, i + 1, node.get("event").asText(), node.get("job")));
                } else {
                    jobs.add(new VectorJob(file, i + 1, "document", node));
                }
            }
        }
        return jobs;
    }

    static List<String> readLines(String file) {
        try {
            return Files.readAllLines(folder().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
