package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How {@link LuaScript} sends keys and arguments (numbers without a String on the way, the first key routing). */
@DisplayName("Redis script arguments")
class RedisScriptArgumentsTest {

    private static final LuaScript ECHO = LuaScript.load("test_echo");
    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("args");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("arguments reach the script as text: numbers as their decimal digits, bytes as they are")
    void argumentsAsRedisReadsThem() {
        RedisBackend backend = fixture.backend();
        String tag = "{" + backend.options().namespace() + "}";
        List<Object> args = List.of(0L, 9, 10L, -1, -10L, 12_345L, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                "text é", "raw".getBytes(StandardCharsets.UTF_8));

        List<?> reply = (List<?>) ECHO.run(backend.client(), List.of(tag + ":a", tag + ":b", tag + ":c"), args);

        assertThat(reply.get(0)).as("keys given").isEqualTo(3L);
        List<String> received = new ArrayList<>();
        for (Object value : reply.subList(1, reply.size())) {
            received.add(new String((byte[]) value, StandardCharsets.UTF_8));
        }
        assertThat(received).containsExactly("0", "9", "10", "-1", "-10", "12345", String.valueOf(Integer.MIN_VALUE),
                String.valueOf(Long.MIN_VALUE), String.valueOf(Long.MAX_VALUE), "text é", "raw");
    }
}
