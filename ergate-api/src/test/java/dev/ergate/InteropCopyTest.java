package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The repository carries a copy of the steering project's reference vectors so that its tests
 * run from a bare clone. Where the original ({@code ../shared/interop/python-ergate}, beside the
 * repository, as in CI) is present, the copy must equal it.
 */
class InteropCopyTest {

    @Test
    @DisplayName("the repository's vectors equal shared/interop/python-ergate when that folder is beside the repository")
    void copyMatchesShared() throws IOException {
        Path copy = InteropVectors.folder();
        Path shared = copy.getParent().getParent().getParent().resolve("shared").resolve(InteropVectors.FOLDER);
        assumeTrue(Files.isDirectory(shared), "no shared folder beside the repository: nothing to compare");

        try (Stream<Path> originals = Files.list(shared)) {
            for (Path original : originals.toList()) {
                Path copied = copy.resolve(original.getFileName());
                assertThat(copied).as("copy of " + original).exists();
                assertThat(Files.readAllBytes(copied)).as(original.toString())
                        .isEqualTo(Files.readAllBytes(original));
            }
        }
    }
}
