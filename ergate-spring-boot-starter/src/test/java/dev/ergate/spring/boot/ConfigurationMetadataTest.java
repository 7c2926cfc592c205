package dev.ergate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar's configuration metadata documents every ergate.* property, so IDEs complete them. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyIsListedWithADescription() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-configuration-metadata.json is generated").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            names.add(name);
            assertThat(property.path("description").asText()).as("description of %s", name).isNotBlank();
        }
        assertThat(names).contains("ergate.backend", "ergate.lease", "ergate.dialect", "ergate.write-status-codes",
                "ergate.worker.enabled", "ergate.worker.concurrency", "ergate.worker.poll-timeout",
                "ergate.worker.drain-timeout", "ergate.worker.after-step-status", "ergate.worker.max-deliveries",
                "ergate.worker.backend-retry.attempts", "ergate.retry.max-attempts", "ergate.retry.initial-delay",
                "ergate.redis.uri", "ergate.redis.namespace", "ergate.postgres.uri", "ergate.postgres.schema",
                "ergate.postgres.table-prefix", "ergate.postgres.migrate-on-start", "ergate.sqs.uri", "ergate.sqs.store",
                "management.health.ergate.enabled");
        List<String> hinted = new ArrayList<>();
        metadata.get("hints").forEach(hint -> hinted.add(hint.get("name").asText()));
        assertThat(hinted).contains("ergate.worker.after-step-status", "ergate.dialect");
    }
}
