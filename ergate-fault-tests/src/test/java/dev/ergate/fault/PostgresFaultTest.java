package dev.ergate.fault;

import dev.ergate.testkit.Backends;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/**
 * The fault scenarios on PostgreSQL: the shared server ({@code ERGATE_POSTGRES_URL} as a
 * jdbc:postgresql:// URL, else 127.0.0.1:5432 database test user postgres), one schema per test,
 * dropped after (see {@link PostgresRestartTest} for a private server).
 */
@DisplayName("Faults on PostgreSQL")
class PostgresFaultTest extends FaultScenarios {

    static String sharedUrl() {
        String env = System.getenv("ERGATE_POSTGRES_URL");
        return env == null || env.isBlank() || !env.startsWith("jdbc:")
                ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : env.trim();
    }

    @Override
    protected BackendSpec newSpec(String label) {
        try (Connection c = DriverManager.getConnection(sharedUrl())) {
            c.isValid(5);
        } catch (Exception e) {
            Backends.missing("PostgreSQL", "set ERGATE_POSTGRES_URL=jdbc:postgresql://host:5432/db?user=me or run "
                    + "PostgreSQL on 127.0.0.1:5432 with database test", e);
        }
        return new BackendSpec("postgres", sharedUrl(), "ergf_" + label + "_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 8));
    }

    @Override
    protected String backendName() {
        return "PostgreSQL";
    }
}
