package dev.ergate.sqs;

import dev.ergate.internal.UriRedaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/** Reads the one-string queue descriptions of {@link SqsJobQueue#fromUri(String)}. Stateless. */
final class SqsUris {

    private static final Pattern AWS_HOST = Pattern.compile("sqs[.-]([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    private SqsUris() {
    }

    static SqsJobQueue.Builder parse(String text) {
        String shown = UriRedaction.redact(text); // for messages: never the password
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an SQS queue URL or sqs:// description: '" + shown + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Map<String, String> params = query(uri);
        SqsJobQueue.Builder builder = SqsJobQueue.builder();
        SqsOptions.Builder client = SqsOptions.builder();
        String endpoint = params.remove("endpoint");
        String region = params.remove("region");
        switch (scheme) {
            case "sqs" -> {
                String name = uri.getAuthority();
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("sqs:// needs a queue name, as in sqs://jobs, got '" + shown + "'");
                }
                builder.queueName(name);
            }
            case "http", "https" -> {
                if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
                    throw new IllegalArgumentException("a queue URL needs a host and a path, as in"
                            + " https://sqs.eu-west-1.amazonaws.com/123456789012/jobs, got '" + shown + "'");
                }
                builder.queueUrl(scheme + "://" + uri.getRawAuthority() + uri.getRawPath());
                Matcher aws = AWS_HOST.matcher(uri.getHost());
                if (aws.matches()) {
                    if (region == null) {
                        region = aws.group(1);
                    }
                } else if (endpoint == null) {
                    endpoint = scheme + "://" + uri.getRawAuthority();
                }
            }
            default -> throw new IllegalArgumentException("an SQS queue is given as an http(s) queue URL or"
                    + " sqs://NAME, got '" + shown + "'");
        }
        client.endpoint(endpoint).region(region);
        String credentials = params.remove("credentials");
        if (credentials != null) {
            switch (credentials.toLowerCase(Locale.ROOT)) {
                case "default" -> client.credentials(null);
                case "anonymous" -> client.credentials(AnonymousCredentialsProvider.create());
                default -> throw new IllegalArgumentException(
                        "credentials must be 'default' or 'anonymous', got '" + credentials + "'");
            }
        }
        builder.options(client.build());
        SqsQueueOptions.Builder config = SqsQueueOptions.builder();
        String create = params.remove("create");
        if (create != null) {
            builder.createIfMissing(bool("create", create));
        }
        String lease = params.remove("leaseSeconds");
        if (lease != null) {
            config.leaseTime(Duration.ofSeconds(number("leaseSeconds", lease)));
        }
        String maxBytes = params.remove("maxJobBytes");
        if (maxBytes != null) {
            config.maxJobBytes(number("maxJobBytes", maxBytes));
        }
        String dlq = params.remove("dlq");
        if (dlq != null) {
            config.deadLetterQueueUrl(dlq);
        }
        if (!params.isEmpty()) {
            throw new IllegalArgumentException("unknown SQS queue settings " + params.keySet() + " in '" + shown
                    + "'; known: endpoint, region, credentials, create, leaseSeconds, maxJobBytes, dlq");
        }
        return builder.queueOptions(config.build());
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static boolean bool(String name, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
