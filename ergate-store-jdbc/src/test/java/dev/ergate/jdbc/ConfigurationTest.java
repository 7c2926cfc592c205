package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Options, identifiers and URLs (no database)")
class ConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = {"Ergate_", "x\"; drop table jobs; --", "1abc", "a b", "tables.", "abcdefghijklmnopqrstuvwxyz"})
    @DisplayName("refuses table prefixes that are not plain lower-case identifiers, naming them")
    void badPrefix(String prefix) {
        assertThatThrownBy(() -> JdbcOptions.builder().tablePrefix(prefix).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix")
                .hasMessageContaining(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Public", "pg_catalog", "a\"b", "", "x-y"})
    @DisplayName("refuses schema names that are not plain lower-case identifiers")
    void badSchema(String schema) {
        assertThatThrownBy(() -> JdbcOptions.builder().schema(schema).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    }

    @Test
    @DisplayName("quotes validated names into SQL")
    void render() {
        Tables tables = new Tables("my_schema", "app_");
        assertThat(tables.render("select * from {jobs} join {queue}"))
                .isEqualTo("select * from \"my_schema\".\"app_jobs\" join \"my_schema\".\"app_queue\"");
        assertThat(new Tables(null, "").jobs()).isEqualTo("\"jobs\"");
        assertThat(tables.channel()).isEqualTo("my_schema.app_wake");
    }

    @Test
    @DisplayName("checks every option and names the bad one")
    void optionRanges() {
        assertThatThrownBy(() -> JdbcOptions.builder().leaseTime(Duration.ofMillis(10)).build())
                .hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> JdbcOptions.builder().claimBatchSize(0).build())
                .hasMessageContaining("claimBatchSize");
        assertThatThrownBy(() -> JdbcOptions.builder().pollInterval(Duration.ZERO).build())
                .hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> JdbcOptions.builder().maxJobBytes(10).build())
                .hasMessageContaining("maxJobBytes");
        assertThatThrownBy(() -> JdbcOptions.builder().poolSize(1).build()).hasMessageContaining("poolSize");
        assertThatThrownBy(() -> JdbcOptions.builder().queueName(" ").build()).hasMessageContaining("queueName");
        JdbcOptions options = JdbcOptions.defaults().toBuilder().claimBatchSize(8).build();
        assertThat(options.claimBatchSize()).isEqualTo(8);
        assertThat(options.tablePrefix()).isEqualTo("ergate_");
    }

    @Test
    @DisplayName("reads libpq-style URLs as well as JDBC ones")
    void urls() {
        PostgresUrl uri = PostgresUrl.parse("postgres://bob:s%40cret@db.example:6543/jobs?sslmode=require");
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/jobs?sslmode=require");
        assertThat(uri.user()).isEqualTo("bob");
        assertThat(uri.password()).isEqualTo("s@cret");
        assertThat(PostgresUrl.parse("jdbc:postgresql://h/db?user=x").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?user=x");
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://h/db")).hasMessageContaining("mysql://h/db");
        assertThat(PostgresUrl.redact("postgres://bob:secret@h/db")).doesNotContain("secret");
        assertThat(PostgresUrl.redact("jdbc:postgresql://h/db?user=bob&password=secret")).doesNotContain("secret");
    }

    @ParameterizedTest(name = "a password holding {0} never shows")
    @ValueSource(strings = {"/", "?", "#", "@", ":"})
    @DisplayName("redaction masks the whole user info, whatever the password holds, in every URL form")
    void redactsPasswordsHoldingUriDelimiters(String c) {
        String password = "pa" + c + "ss" + c + "word";
        for (String url : new String[] {"postgres://bob:" + password + "@h:5432/db?sslmode=require",
                "postgresql://bob:" + password + "@h/db", "postgres://:" + password + "@h/db#frag",
                "jdbc:postgresql://bob:" + password + "@h/db",
                "jdbc:postgresql://h/db?user=bob&password=" + password}) {
            assertThat(PostgresUrl.redact(url)).as(url).doesNotContain(password).doesNotContain("ss" + c + "word");
            try {
                assertThat(PostgresUrl.parse(url).toString()).as(url).doesNotContain(password);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as(url).doesNotContain(password).doesNotContain("ss" + c + "word");
            }
        }
        assertThat(PostgresUrl.parse("postgres://bob:" + password.replace("#", "%23").replace("?", "%3F")
                .replace("/", "%2F").replace("@", "%40") + "@h/db").toString()).doesNotContain("pa");
    }
}
