package dev.ergate.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The validated, quoted names of the tables one {@link JdbcBackend} uses, and the rendering of
 * SQL templates that name them. Identifiers are never taken raw from configuration: the schema
 * and the table prefix are checked against a strict pattern (lower-case letters, digits and
 * underscores) before they are quoted into SQL.
 *
 * <p>Immutable and thread-safe.
 */
final class Tables {

    /** A schema name: a letter or underscore first, then letters, digits or underscores. */
    static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,29}");
    /** A table prefix: empty, or like a schema name. */
    static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,23})?");

    private final @Nullable String schema;
    private final String prefix;

    Tables(@Nullable String schema, String prefix) {
        this.schema = checkSchema(schema);
        this.prefix = checkPrefix(prefix);
    }

    static @Nullable String checkSchema(@Nullable String schema) {
        if (schema == null) {
            return null;
        }
        if (!SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("schema '" + schema + "' is not a valid schema name: use 1 to 30 "
                    + "lower-case letters, digits or underscores, starting with a letter or underscore, not 'pg_'");
        }
        return schema;
    }

    static String checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("tablePrefix '" + prefix + "' is not a valid table prefix: use up "
                    + "to 24 lower-case letters, digits or underscores, starting with a letter or underscore");
        }
        return prefix;
    }

    @Nullable String schema() {
        return schema;
    }

    String prefix() {
        return prefix;
    }

    /** {@return {@code "schema".} or nothing, to put before a table name} */
    String schemaQualifier() {
        return schema == null ? "" : quote(schema) + ".";
    }

    /** {@return the quoted, schema-qualified name of table {@code prefix + suffix}} */
    String table(String suffix) {
        return schemaQualifier() + quote(prefix + suffix);
    }

    String jobs() {
        return table("jobs");
    }

    String history() {
        return table("job_history");
    }

    String queue() {
        return table("queue");
    }

    String deadLetters() {
        return table("dead_letters");
    }

    String leases() {
        return table("leases");
    }

    /** {@return the registry of listening final-state notifiers (schema version 8)} */
    String finalListeners() {
        return table("final_listeners");
    }

    String schemaVersion() {
        return table("schema_version");
    }

    /** {@return the LISTEN/NOTIFY channel, unique per schema and prefix} */
    String channel() {
        return (schema == null ? "" : schema + ".") + prefix + "wake";
    }

    /** {@return the name the migration advisory lock is derived from} */
    String lockName() {
        return (schema == null ? "" : schema) + "." + prefix;
    }

    /**
     * Fills a SQL template: {@code {jobs}}, {@code {history}}, {@code {queue}}, {@code {dead}},
     * {@code {leases}} and {@code {version}} become quoted table names; {@code ${s}} the schema qualifier and
     * {@code ${p}} the bare prefix (used inside quoted index and constraint names).
     */
    String render(String template) {
        return template
                .replace("{jobs}", jobs())
                .replace("{history}", history())
                .replace("{queue}", queue())
                .replace("{dead}", deadLetters())
                .replace("{version}", schemaVersion())
                .replace("{leases}", leases())
                .replace("${s}", schemaQualifier())
                .replace("${p}", prefix);
    }

    /** Quotes an identifier that was already validated. */
    static String quote(String identifier) {
        if (identifier.indexOf('"') >= 0 || !identifier.equals(identifier.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("not a validated identifier: " + identifier);
        }
        return '"' + identifier + '"';
    }

    @Override
    public String toString() {
        return schemaQualifier() + prefix + "*";
    }
}
