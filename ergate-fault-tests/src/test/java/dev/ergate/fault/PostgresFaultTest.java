package dev.ergate.fault;

import dev.ergate.testbackends.TestBackends;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;

/**
 * The fault scenarios on PostgreSQL: the shared server ({@link TestBackends#postgres()}, as a
 * {@code jdbc:postgresql://} URL), one schema per test,
 * dropped after (see {@link PostgresRestartTest} for a private server).
 */
@DisplayName("Faults on PostgreSQL")
class PostgresFaultTest extends FaultScenarios {

    static String sharedUrl() {
        String url = TestBackends.postgres().url();
        Assumptions.assumeTrue(url.startsWith("jdbc:"), "the fault suite takes ERGATE_POSTGRES_URL as a "
                + "jdbc:postgresql://host:port/db?user=.. URL");
        return url;
    }

    @Override
    protected BackendSpec newSpec(String label) {
        return new BackendSpec("postgres", sharedUrl(), "ergf_" + label + "_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 8));
    }

    @Override
    protected String backendName() {
        return "PostgreSQL";
    }
}
