package dev.ergate.fault;

import java.time.Duration;

/**
 * Where a fault run's jobs live, as a value a worker JVM can get on its command line: the kind,
 * the server's address and a space of its own on it (a Redis namespace, a PostgreSQL schema).
 * {@link #open(Duration)} connects. Immutable.
 *
 * @param kind redis or postgres
 * @param address a redis:// URI or a jdbc:postgresql:// URL
 * @param space the namespace or schema that isolates this run
 */
record BackendSpec(String kind, String address, String space) {

    BackendSpec {
        if (!kind.equals("redis") && !kind.equals("postgres")) {
            throw new IllegalArgumentException("backend kind must be redis or postgres, not '" + kind + "'");
        }
    }

    /** @return the spec as three command-line arguments */
    String[] toArgs() {
        return new String[] {kind, address, space};
    }

    /** @return the spec read from three command-line arguments starting at {@code from} */
    static BackendSpec fromArgs(String[] args, int from) {
        return new BackendSpec(args[from], args[from + 1], args[from + 2]);
    }

    /**
     * @param leaseTime the queue's lease time
     * @param connections connections the backend may hold
     * @param applicationName how its connections introduce themselves (PostgreSQL application_name,
     *     Redis client name)
     * @return a connected backend
     */
    FaultBackend open(Duration leaseTime, int connections, String applicationName) {
        return kind.equals("redis")
                ? new RedisFaultBackend(this, leaseTime, connections, applicationName)
                : new PostgresFaultBackend(this, leaseTime, connections, applicationName);
    }

    @Override
    public String toString() {
        return kind;
    }
}
