package dev.ergate.redis;

import dev.ergate.internal.UriRedaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code redis://} or {@code rediss://} (TLS) URI:
 * {@code redis[s]://[[user]:password@]host[:port][/database]}, or a Redis Cluster's
 * {@code redis[s]-cluster://[[user]:password@]host:port[,host:port...]} (any of its nodes; the
 * client finds the others). The password is never shown by {@link #toString()}.
 *
 * @param tls true for {@code rediss://}
 * @param host the server's host name or address
 * @param port the port, 6379 when absent
 * @param user the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} for none
 * @param database the database number, 0 when absent
 * @param clusterNodes for a cluster URI, every node it names as {@code host:port} (the first is
 *     {@code host} and {@code port}); empty for a single server
 */
record RedisUri(boolean tls, String host, int port, @Nullable String user, @Nullable String password, int database,
        List<String> clusterNodes) {

    RedisUri {
        clusterNodes = List.copyOf(clusterNodes);
    }

    RedisUri(boolean tls, String host, int port, @Nullable String user, @Nullable String password, int database) {
        this(tls, host, port, user, password, database, List.of());
    }

    /** {@return whether the URI names a Redis Cluster ({@code redis-cluster://})} */
    boolean cluster() {
        return !clusterNodes.isEmpty();
    }

    static final int DEFAULT_PORT = 6379;

    /**
     * @param text the URI
     * @return its parts
     * @throws IllegalArgumentException naming the URI (password hidden) and the part at fault
     */
    static RedisUri parse(String text) {
        String trimmed = text.trim();
        int schemeEnd = trimmed.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (scheme.equals("redis-cluster") || scheme.equals("rediss-cluster")) {
            return parseCluster(text, trimmed, scheme, schemeEnd);
        }
        return parseSingle(text);
    }

    /** A cluster URI: each node parsed as a single server's URI with the same credentials. */
    private static RedisUri parseCluster(String text, String trimmed, String scheme, int schemeEnd) {
        String rest = trimmed.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        String credentials = at < 0 ? "" : authority.substring(0, at + 1);
        String hosts = authority.substring(at + 1);
        String single = scheme.startsWith("rediss") ? "rediss://" : "redis://";
        List<RedisUri> nodes = new ArrayList<>();
        for (String node : hosts.split(",", -1)) {
            if (node.isBlank()) {
                throw bad(text, "a cluster URI lists nodes as host:port,host:port, with none empty");
            }
            RedisUri parsed = parseSingle(single + credentials + node.trim() + path);
            if (parsed.database() != 0) {
                throw bad(text, "a Redis Cluster has database 0 only");
            }
            nodes.add(parsed);
        }
        RedisUri first = nodes.get(0);
        return new RedisUri(first.tls(), first.host(), first.port(), first.user(), first.password(), 0,
                nodes.stream().map(RedisUri::hostAndPort).toList());
    }

    /** {@return host:port, IPv6 hosts in brackets} */
    String hostAndPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static RedisUri parseSingle(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad(text, "it is not a URI (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
            throw bad(text, "the scheme must be redis:// or rediss:// (TLS), or redis[s]-cluster:// for a cluster, got "
                    + (scheme == null ? "none" : scheme));
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw bad(text, "it names no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String password = null;
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                password = userInfo;
            } else {
                user = colon == 0 ? null : userInfo.substring(0, colon);
                password = userInfo.substring(colon + 1);
            }
            if (password.isEmpty()) {
                password = null;
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw bad(text, "the path must be a database number like /0, got " + path);
            }
            if (database < 0) {
                throw bad(text, "the database number must not be negative, got " + database);
            }
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw bad(text, "query parameters and fragments are not supported; set timeouts and the pool in RedisOptions");
        }
        return new RedisUri(scheme.equalsIgnoreCase("rediss"), host, port, user, password, database);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad Redis URI '" + hidePassword(text) + "': " + why);
    }

    /** {@return the URI text with any password replaced by {@code ***}} */
    static String hidePassword(String text) {
        return UriRedaction.redact(text);
    }

    /** {@return the URI without its password} */
    @Override
    public String toString() {
        String credentials = password == null ? (user == null ? "" : user + "@")
                : (user == null ? "" : user) + ":***@";
        if (cluster()) {
            return (tls ? "rediss" : "redis") + "-cluster://" + credentials + String.join(",", clusterNodes);
        }
        return (tls ? "rediss" : "redis") + "://" + credentials + hostAndPort() + "/" + database;
    }
}
