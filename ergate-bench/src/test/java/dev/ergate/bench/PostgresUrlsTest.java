package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlsTest {

    @Test
    void jdbcUrlsStayAsTheyAre() {
        assertThat(PostgresUrls.toJdbc("jdbc:postgresql://db:5433/x?user=u")).isEqualTo("jdbc:postgresql://db:5433/x?user=u");
    }

    @Test
    void postgresUrisBecomeJdbcUrls() {
        assertThat(PostgresUrls.toJdbc("postgres://alice:s%3Acret@db.local:6543/app?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.local:6543/app?user=alice&password=s%3Acret&sslmode=require");
        assertThat(PostgresUrls.toJdbc("postgresql://127.0.0.1/test"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    @Test
    void anythingElseIsRefusedByName() {
        assertThatThrownBy(() -> PostgresUrls.toJdbc("mysql://db/x")).hasMessageContaining("'mysql://db/x'");
    }
}
