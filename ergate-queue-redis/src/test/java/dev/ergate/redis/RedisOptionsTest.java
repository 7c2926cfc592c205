package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.spi.ErgateBackendException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Redis URIs and options")
class RedisOptionsTest {

    @Test
    @DisplayName("a full rediss URI gives TLS, user, password, host, port and database")
    void fullUri() {
        RedisUri uri = RedisUri.parse("rediss://worker:s%40cret@redis.example.com:6380/3");
        assertThat(uri).isEqualTo(new RedisUri(true, "redis.example.com", 6380, "worker", "s@cret", 3));
        assertThat(uri.toString()).isEqualTo("rediss://worker:***@redis.example.com:6380/3").doesNotContain("cret");
    }

    @Test
    @DisplayName("defaults: port 6379, database 0, no credentials; a lone password is the default user's")
    void shortUris() {
        assertThat(RedisUri.parse("redis://localhost")).isEqualTo(new RedisUri(false, "localhost", 6379, null, null, 0));
        assertThat(RedisUri.parse("redis://:pw@h/")).isEqualTo(new RedisUri(false, "h", 6379, null, "pw", 0));
        assertThat(RedisUri.parse("redis://[::1]:7000/1")).isEqualTo(new RedisUri(false, "::1", 7000, null, null, 1));
    }

    @Test
    @DisplayName("a redis-cluster URI names every node, turns cluster mode on, and hides the password")
    void clusterUri() {
        RedisUri uri = RedisUri.parse("redis-cluster://:s3cret@10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002");
        assertThat(uri.cluster()).isTrue();
        assertThat(uri.clusterNodes()).containsExactly("10.0.0.1:7000", "10.0.0.2:7001", "[::1]:7002");
        assertThat(uri.password()).isEqualTo("s3cret");
        assertThat(uri.toString()).isEqualTo("redis-cluster://:***@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002");
        assertThat(RedisOptions.fromUri("rediss-cluster://h:7000").cluster()).isTrue();
        assertThatThrownBy(() -> RedisUri.parse("redis-cluster://:s3cret@h:7000,,h:7001"))
                .hasMessageContaining("none empty").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisUri.parse("redis-cluster://h:7000/2")).hasMessageContaining("database 0 only");
    }

    @Test
    @DisplayName("bad URIs are refused with the reason, never showing the password")
    void badUris() {
        assertThatThrownBy(() -> RedisUri.parse("http://u:topsecret@h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis:// or rediss://")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> RedisUri.parse("redis://h/abc")).hasMessageContaining("database number");
        assertThatThrownBy(() -> RedisUri.parse("redis://h?timeout=3")).hasMessageContaining("query");
        assertThatThrownBy(() -> RedisUri.parse("redis:///0")).hasMessageContaining("no host");
    }

    @Test
    @DisplayName("option builders name the setting that is out of range")
    void validation() {
        assertThatThrownBy(() -> RedisOptions.builder().namespace("a{b").build()).hasMessageContaining("namespace");
        assertThatThrownBy(() -> RedisOptions.builder().poolSize(1).build()).hasMessageContaining("poolSize");
        assertThatThrownBy(() -> RedisOptions.builder().socketTimeout(Duration.ZERO).build())
                .hasMessageContaining("socketTimeout");
        assertThatThrownBy(() -> RedisQueueOptions.builder().leaseTime(Duration.ofMillis(1)).build())
                .hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> RedisQueueOptions.builder().maxDeliveries(-1).build())
                .hasMessageContaining("maxDeliveries");
        assertThatThrownBy(() -> RedisQueueOptions.builder().maxJobBytes(0).build())
                .hasMessageContaining("maxJobBytes");
        assertThatThrownBy(() -> RedisStoreOptions.builder().retention(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("retention");
        assertThat(RedisOptions.fromUri("redis://:pw@h:1/2").toString()).doesNotContain("pw@");
        assertThatThrownBy(() -> RedisOptions.builder().uri("redis://h:7000/3").cluster(true).build())
                .hasMessageContaining("database 0 only");
        assertThatThrownBy(() -> RedisOptions.builder().uri("redis://h").trustStore(Path.of("t.p12"), null).build())
                .hasMessageContaining("rediss://");
    }

    @Test
    @DisplayName("a connected backend shows its endpoint without the password")
    void endpoint() {
        RedisFixture fixture = RedisFixture.open("options");
        try {
            RedisBackend backend = fixture.backend();
            assertThat(backend.endpoint()).startsWith("redis").contains(":" + RedisUri.parse(RedisFixture.uri()).port());
            assertThat(backend.toString()).contains(backend.options().namespace());
        } finally {
            fixture.close();
        }
    }

    @Test
    @DisplayName("connecting to a port where no Redis listens fails at once with a transient error naming it")
    void unreachable() {
        assertThatThrownBy(() -> RedisBackend.connect(RedisOptions.builder().uri("redis://127.0.0.1:1")
                        .connectTimeout(Duration.ofMillis(500)).build()))
                .isInstanceOf(ErgateBackendException.class)
                .hasMessageContaining("redis://127.0.0.1:1/0")
                .satisfies(e -> assertThat(((ErgateBackendException) e).isTransient()).isTrue());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "a password holding {0} never shows")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/", "?", "#", "@"})
    @DisplayName("a password holding a URI delimiter never shows in a refusal")
    void passwordsHoldingUriDelimitersNeverShow(String c) {
        String password = "pa" + c + "ss" + c + "word";
        for (String uri : new String[] {"redis://:" + password + "@h:6379/x", "rediss://u:" + password + "@h/0?a=b",
                "http://u:" + password + "@h"}) {
            assertThat(RedisUri.hidePassword(uri)).as(uri).doesNotContain("ss" + c + "word");
            assertThatThrownBy(() -> RedisUri.parse(uri)).as(uri)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ss" + c + "word"));
        }
    }
}
