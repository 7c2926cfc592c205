package dev.ergate.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link ErgateDashboard} is served: address, authentication, read-only mode. The
 * defaults bind to 127.0.0.1:8080 with no authentication, which is safe only because nothing
 * but this machine can connect. Immutable and thread-safe; {@link #toString()} hides secrets.
 */
public final class DashboardOptions {

    /** The address bound when none is given: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port bound when none is given. */
    public static final int DEFAULT_PORT = 8080;

    private final String host;
    private final int port;
    private final boolean readOnly;
    private final @Nullable String token;
    private final @Nullable String basicUser;
    private final @Nullable String basicPassword;
    private final String title;
    private final int pageSize;
    private final Duration refreshInterval;
    private final Duration throughputWindow;
    private final Clock clock;

    private DashboardOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.readOnly = b.readOnly;
        this.token = b.token;
        this.basicUser = b.basicUser;
        this.basicPassword = b.basicPassword;
        this.title = b.title;
        this.pageSize = b.pageSize;
        this.refreshInterval = b.refreshInterval;
        this.throughputWindow = b.throughputWindow;
        this.clock = b.clock;
    }

    /** {@return 127.0.0.1:8080, no authentication, actions allowed} */
    public static DashboardOptions defaults() {
        return builder().build();
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.readOnly = readOnly;
        b.token = token;
        b.basicUser = basicUser;
        b.basicPassword = basicPassword;
        b.title = title;
        b.pageSize = pageSize;
        b.refreshInterval = refreshInterval;
        b.throughputWindow = throughputWindow;
        b.clock = clock;
        return b;
    }

    /** {@return the address to bind} */
    public String host() {
        return host;
    }

    /** {@return the port to bind; 0 picks a free one} */
    public int port() {
        return port;
    }

    /** {@return whether the actions (cancel, retry, delete, requeue, purge) are refused} */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@return the access token a browser or script must present, or {@code null} for none} */
    public @Nullable String token() {
        return token;
    }

    /** {@return the basic-auth user name, or {@code null} when basic auth is off} */
    public @Nullable String basicUser() {
        return basicUser;
    }

    /** {@return the basic-auth password, or {@code null} when basic auth is off} */
    public @Nullable String basicPassword() {
        return basicPassword;
    }

    /** {@return the name shown in the page header and title} */
    public String title() {
        return title;
    }

    /** {@return how many jobs or dead letters one page lists} */
    public int pageSize() {
        return pageSize;
    }

    /** {@return how often the overview page refreshes its figures} */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** {@return how far back the overview's throughput chart goes} */
    public Duration throughputWindow() {
        return throughputWindow;
    }

    /** {@return the clock for throughput samples and purge cutoffs} */
    public Clock clock() {
        return clock;
    }

    /** {@return whether a token or basic auth is required} */
    public boolean authenticated() {
        return token != null || basicUser != null;
    }

    @Override
    public String toString() {
        return "DashboardOptions[host=" + host + ", port=" + port + ", readOnly=" + readOnly
                + ", token=" + (token == null ? "none" : "****") + ", basicAuth="
                + (basicUser == null ? "none" : basicUser + ":****") + ", title=" + title + "]";
    }

    /** Builds {@link DashboardOptions}; {@link #build()} checks the values. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private boolean readOnly;
        private @Nullable String token;
        private @Nullable String basicUser;
        private @Nullable String basicPassword;
        private String title = "Ergate";
        private int pageSize = 50;
        private Duration refreshInterval = Duration.ofSeconds(2);
        private Duration throughputWindow = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** @param host the address to bind, for example {@code 0.0.0.0} to accept other machines */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port the port to bind, 0 for any free one */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** @param readOnly true to refuse every action and hide the buttons */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * @param token a secret a client must present ({@code Authorization: Bearer TOKEN}, or
         *     open {@code /?token=TOKEN} once in a browser), or {@code null} for none
         */
        public Builder token(@Nullable String token) {
            this.token = token;
            return this;
        }

        /**
         * @param user the user name HTTP basic auth asks for
         * @param password its password
         */
        public Builder basicAuth(String user, String password) {
            this.basicUser = Objects.requireNonNull(user, "user");
            this.basicPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** @param title the name in the page header, for example the environment's */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** @param pageSize jobs or dead letters per page, 1 to 1,000 */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** @param refreshInterval how often the overview refreshes, at least 200 ms */
        public Builder refreshInterval(Duration refreshInterval) {
            this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
            return this;
        }

        /** @param throughputWindow how far back the throughput chart goes, 1 to 60 minutes */
        public Builder throughputWindow(Duration throughputWindow) {
            this.throughputWindow = Objects.requireNonNull(throughputWindow, "throughputWindow");
            return this;
        }

        /** @param clock the clock for samples and cutoffs */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first value out of range
         */
        public DashboardOptions build() {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 0..65535, got " + port);
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank (leave it null for none)");
            }
            if (basicUser != null && (basicUser.isEmpty() || basicUser.contains(":"))) {
                throw new IllegalArgumentException("basic-auth user must be non-empty and without ':'");
            }
            if (pageSize < 1 || pageSize > 1_000) {
                throw new IllegalArgumentException("pageSize must be within 1..1000, got " + pageSize);
            }
            if (refreshInterval.compareTo(Duration.ofMillis(200)) < 0) {
                throw new IllegalArgumentException("refreshInterval must be at least 200 ms, got " + refreshInterval);
            }
            if (throughputWindow.compareTo(Duration.ofMinutes(1)) < 0
                    || throughputWindow.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("throughputWindow must be within 1..60 minutes, got "
                        + throughputWindow);
            }
            return new DashboardOptions(this);
        }
    }
}
