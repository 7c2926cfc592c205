package dev.ergate.redis;

import dev.ergate.spi.ErgateBackendException;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns Jedis exceptions into {@link ErgateBackendException}s that name the operation and the
 * server, and say whether trying again may help.
 *
 * <p>Immutable and thread-safe.
 */
final class RedisFailures {

    /** Error replies that go away by themselves: a server loading, failing over, or scripting. */
    private static final String[] TRANSIENT_REPLIES = {"LOADING", "READONLY", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
        "MASTERDOWN", "NOREPLICAS", "OOM"};

    private final String endpoint;

    /** @param endpoint the server, as shown in messages (no password) */
    RedisFailures(String endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Runs a Redis call.
     *
     * @param operation what the call does, for the message, e.g. {@code "put job 42"}
     * @param call the call
     * @return its result
     * @throws ErgateBackendException if it fails
     */
    <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisException e) {
            throw translate(operation, e);
        }
    }

    /**
     * Runs a Redis call; the operation's description is only put together if it fails (a step
     * makes several calls, and their messages are rarely needed).
     *
     * @param operation what the call does, for the message, e.g. {@code "put job "}
     * @param subject what it does it to, appended to {@code operation}, e.g. a job id
     * @param call the call
     * @return its result
     * @throws ErgateBackendException if it fails
     */
    <T> T call(String operation, @Nullable Object subject, Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisException e) {
            throw translate(operation + subject, e);
        }
    }

    /**
     * @param operation what failed
     * @param e the client's exception
     * @return the exception to throw
     */
    ErgateBackendException translate(String operation, JedisException e) {
        return new ErgateBackendException(
                "Redis at " + endpoint + ": " + operation + " failed: " + e.getMessage(), e, isTransient(e));
    }

    static boolean isTransient(JedisException e) {
        if (e instanceof JedisAccessControlException) {
            return false;
        }
        if (e instanceof JedisConnectionException || e instanceof JedisBusyException) {
            return true;
        }
        if (e instanceof JedisDataException) {
            String message = e.getMessage() == null ? "" : e.getMessage().toUpperCase(Locale.ROOT);
            for (String reply : TRANSIENT_REPLIES) {
                if (message.startsWith(reply)) {
                    return true;
                }
            }
            return false;
        }
        // pool exhausted, cluster redirections and other client-side trouble
        return true;
    }
}
