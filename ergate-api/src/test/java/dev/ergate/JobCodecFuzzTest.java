package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ergate.InteropVectors.VectorJob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, the codec either returns a job or throws {@link JobFormatException}: no
 * other exception escapes. Mutations of the Python vectors reach deep into the field checks;
 * random bytes exercise the parser. The seed is fixed so a failure reproduces; the failing
 * input is in the message.
 */
@DisplayName("The codec under random input")
class JobCodecFuzzTest {

    private static final long SEED = 0x5EED_E26A7EL;
    private static final String[] TOKENS = {
        "null", "true", "false", "0", "-1", "1e309", "-0.0", "1.5", "99999999999999999999", "\"\"",
        "\"RUNNING\"", "\"running\"", "7", "[]", "{}", "[[[[", "}}}", ",", ":", "\"\\u0000\"", "\"\\ud800\"",
        "\"2024-13-45T99:00:00Z\"", "\"2024-06-28T12:00:00+25:00\"", "NaN", "\"workflow_name\"", "\"id\""
    };

    private final Random random = new Random(SEED);

    @Test
    @DisplayName("mutated vector documents give a job or a JobFormatException (10,000 cases, three dialects)")
    void mutatedVectors() {
        List<VectorJob> vectors = InteropVectors.jobs();
        JobCodec[] codecs = {
            JobCodec.standard(),
            JobCodec.builder().dialect(StatusDialect.PYTHON_2024).build(),
            JobCodec.builder().dialect(StatusDialect.PYTHON_2025).build()
        };
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            String original = vectors.get(random.nextInt(vectors.size())).job().toString();
            String mutated = mutate(original);
            if (tryDecode(codecs[i % codecs.length], mutated.getBytes(StandardCharsets.UTF_8))) {
                decoded++;
            } else {
                refused++;
            }
        }
        // both paths must really be exercised, or the test proves little
        assertThat(decoded).isGreaterThan(500);
        assertThat(refused).isGreaterThan(500);
    }

    @Test
    @DisplayName("the streaming decode agrees with the tree decode on mutated vector documents (10,000 cases, four codecs)")
    void streamingAgreesWithTree() {
        List<VectorJob> vectors = InteropVectors.jobs();
        int decoded = 0;
        for (int i = 0; i < 10_000; i++) {
            String mutated = mutate(vectors.get(random.nextInt(vectors.size())).job().toString());
            JobCodec codec = StreamingDecodeTest.CODECS[i % StreamingDecodeTest.CODECS.length];
            decoded += StreamingDecodeTest.assertSameAsTree(codec, mutated) ? 1 : 0;
        }
        assertThat(decoded).isGreaterThan(500);
    }

    @Test
    @DisplayName("random bytes give a JobFormatException (5,000 cases)")
    void randomBytes() {
        JobCodec codec = JobCodec.builder().dialect(StatusDialect.PYTHON_2025).build();
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 0) {
                bytes[0] = '{';
            }
            tryDecode(codec, bytes);
        }
    }

    /** @return true if decoded, false if refused with JobFormatException; fails on anything else */
    private static boolean tryDecode(JobCodec codec, byte[] bytes) {
        try {
            Job job = codec.decode(bytes);
            // what was accepted must also be writable and read back the same
            assertThat(JobCodec.standard().decode(JobCodec.standard().encode(job))).isEqualTo(job);
            return true;
        } catch (JobFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return false;
        } catch (Throwable other) {
            fail("decode threw " + other + " for input: " + new String(bytes, StandardCharsets.UTF_8), other);
            return false;
        }
    }

    private String mutate(String json) {
        StringBuilder text = new StringBuilder(json);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(5)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, (char) (32 + random.nextInt(95)));
                case 2 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 3 -> replaceValue(text);
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }

    /** Replaces the value after a random ':' with a random token, keeping the document's shape. */
    private void replaceValue(StringBuilder text) {
        int colon = text.indexOf(":", random.nextInt(text.length()));
        if (colon < 0) {
            return;
        }
        int end = colon + 1;
        int depth = 0;
        boolean inString = false;
        while (end < text.length()) {
            char c = text.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
            end++;
        }
        text.replace(colon + 1, Math.min(end, text.length()), " " + TOKENS[random.nextInt(TOKENS.length)]);
    }
}
