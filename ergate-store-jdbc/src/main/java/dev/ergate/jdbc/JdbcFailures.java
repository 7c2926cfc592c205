package dev.ergate.jdbc;

import dev.ergate.ErgateException;
import dev.ergate.spi.ErgateBackendException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jdbi.v3.core.ConnectionException;
import org.jspecify.annotations.Nullable;

/**
 * Turns what JDBC and Jdbi throw into {@link ErgateBackendException}, deciding from the SQL state
 * whether trying again may work. Stateless and thread-safe.
 */
final class JdbcFailures {

    private JdbcFailures() {
    }

    /**
     * @param operation what was being done, e.g. "update of job 42"
     * @param failure what JDBC or Jdbi threw
     * @return the exception to throw; Ergate's own exceptions come back unchanged
     */
    static RuntimeException translate(String operation, Exception failure) {
        if (failure instanceof ErgateException || failure instanceof IllegalArgumentException
                || failure instanceof IllegalStateException) {
            return (RuntimeException) failure;
        }
        SQLException sql = sqlCause(failure);
        boolean isTransient = isTransient(failure, sql);
        String detail = sql != null
                ? sql.getMessage() + " [SQLState " + sql.getSQLState() + "]"
                : String.valueOf(failure.getMessage());
        return new ErgateBackendException("PostgreSQL: " + operation + " failed: " + detail, failure, isTransient);
    }

    static @Nullable SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** {@return whether trying again may work after {@code failure}, from its SQL state} */
    static boolean isTransient(Throwable failure) {
        return isTransient(failure, sqlCause(failure));
    }

    private static boolean isTransient(Throwable failure, @Nullable SQLException sql) {
        if (failure instanceof ConnectionException) {
            return true; // could not get a connection from the DataSource
        }
        if (sql == null) {
            return false;
        }
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
            return true;
        }
        String state = sql.getSQLState();
        if (state == null) {
            return false;
        }
        return state.startsWith("08") // connection exception
                || state.startsWith("40") // transaction rollback: serialization failure, deadlock
                || state.startsWith("53") // insufficient resources: too many connections, out of memory
                || state.equals("57P01") // admin shutdown (pg_terminate_backend)
                || state.equals("57P02") // crash shutdown
                || state.equals("57P03") // cannot connect now (starting up)
                || state.equals("57014") // query canceled (statement timeout)
                || state.equals("55P03"); // lock not available
    }
}
