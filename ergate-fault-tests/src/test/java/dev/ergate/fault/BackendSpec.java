package dev.ergate.fault;

import java.time.Clock;
import java.time.Duration;

/**
 * Where a fault run's jobs live, as a value a worker JVM can get on its command line: the kind,
 * the server's address, a space of its own on it (a Redis namespace, a PostgreSQL schema, an SQS
 * queue name) and, for a queue that holds no job state (SQS), where the state store is.
 * {@link #open(Duration)} connects. Immutable.
 *
 * @param kind redis, postgres or sqs
 * @param address a redis:// URI, a jdbc:postgresql:// URL or an SQS endpoint (http://host:port)
 * @param space the namespace, schema or queue name that isolates this run
 * @param storeAddress for sqs: the redis:// URI of the state store (the run's namespace is
 *     {@code space} there); empty for the backends that hold their own state
 */
record BackendSpec(String kind, String address, String space, String storeAddress) {

    BackendSpec {
        if (!kind.equals("redis") && !kind.equals("postgres") && !kind.equals("sqs")) {
            throw new IllegalArgumentException("backend kind must be redis, postgres or sqs, not '" + kind + "'");
        }
        if (kind.equals("sqs") && storeAddress.isBlank()) {
            throw new IllegalArgumentException("an sqs backend needs the redis:// URI of its state store");
        }
    }

    /** A backend that holds both the queue and the job states. */
    BackendSpec(String kind, String address, String space) {
        this(kind, address, space, "");
    }

    /** @return the same space reached through another address (e.g. a TCP proxy in front of the server) */
    BackendSpec withAddress(String otherAddress) {
        return new BackendSpec(kind, otherAddress, space, storeAddress);
    }

    /** @return the spec as four command-line arguments */
    String[] toArgs() {
        return new String[] {kind, address, space, storeAddress.isEmpty() ? "-" : storeAddress};
    }

    /** @return the spec read from four command-line arguments starting at {@code from} */
    static BackendSpec fromArgs(String[] args, int from) {
        String store = args[from + 3];
        return new BackendSpec(args[from], args[from + 1], args[from + 2], store.equals("-") ? "" : store);
    }

    /** How many command-line arguments a spec takes. */
    static final int ARGS = 4;

    /**
     * @param leaseTime the queue's lease time
     * @param connections connections the backend may hold
     * @param applicationName how its connections introduce themselves (PostgreSQL application_name,
     *     Redis client name)
     * @return a connected backend
     */
    FaultBackend open(Duration leaseTime, int connections, String applicationName) {
        return open(leaseTime, connections, applicationName, Clock.systemUTC());
    }

    /** As {@link #open(Duration, int, String)}, with the adapters measuring time by {@code clock}. */
    FaultBackend open(Duration leaseTime, int connections, String applicationName, Clock clock) {
        return switch (kind) {
            case "redis" -> new RedisFaultBackend(this, leaseTime, connections, applicationName, clock);
            case "postgres" -> new PostgresFaultBackend(this, leaseTime, connections, applicationName, clock);
            default -> new SqsFaultBackend(this, leaseTime, connections, applicationName, clock);
        };
    }

    @Override
    public String toString() {
        return kind;
    }
}
