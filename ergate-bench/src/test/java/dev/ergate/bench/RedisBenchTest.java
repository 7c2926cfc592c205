package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisBenchTest {

    @Test
    void clusterUrlNamesEveryNodeAndTheCredentials() {
        RedisBench.ClusterUrl url = RedisBench.ClusterUrl.parse("rediss-cluster://bench:s3cret@10.0.0.1:7000,10.0.0.2:7001");
        assertThat(url.tls()).isTrue();
        assertThat(url.user()).isEqualTo("bench");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.nodes()).containsExactly(new HostAndPort("10.0.0.1", 7000), new HostAndPort("10.0.0.2", 7001));
    }

    @Test
    void badClusterNodeIsNamed() {
        assertThatThrownBy(() -> RedisBench.ClusterUrl.parse("redis-cluster://127.0.0.1:7000,,"))
                .hasMessageContaining("host:port");
    }

    @Test
    void rawBaselineOnAClusterAsksForASingleServerWithoutShowingThePassword() {
        RedisBench bench = new RedisBench("redis-cluster://bench:s3cret@127.0.0.1:7000");
        assertThatThrownBy(bench::baseline)
                .hasMessageContaining("--no-baseline")
                .hasMessageNotContaining("s3cret");
    }
}
