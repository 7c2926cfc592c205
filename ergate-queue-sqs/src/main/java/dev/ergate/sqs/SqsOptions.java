package dev.ergate.sqs;

import dev.ergate.JobCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * How to build the {@link SqsClient} an {@link SqsJobQueue} creates when given none (region,
 * endpoint, credentials, timeouts; the light {@code url-connection-client}); unset values come
 * from the AWS SDK's default chains ({@code us-east-1} with an endpoint override and no region);
 * and the {@link JobCodec} an {@link SqsBackend}'s queues use. {@link #toString()} names no key. Immutable and thread-safe.
 */
public final class SqsOptions {

    private static final SqsOptions DEFAULTS = builder().build();
    private static final Region LOCAL_FALLBACK_REGION = Region.US_EAST_1;

    private final @Nullable String region;
    private final @Nullable URI endpoint;
    private final @Nullable AwsCredentialsProvider credentials;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration apiCallTimeout;
    private final JobCodec codec;

    private SqsOptions(Builder b) {
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.credentials = b.credentials;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.apiCallTimeout = b.apiCallTimeout;
        this.codec = b.codec;
    }

    /** {@return the default region and credential chains, AWS's endpoint, 5 s connect timeout} */
    public static SqsOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options' values} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the region name, or {@code null} for the SDK's default region chain} */
    public @Nullable String region() {
        return region;
    }

    /** {@return the endpoint override (a local SQS server, a VPC endpoint), or {@code null}} */
    public @Nullable URI endpoint() {
        return endpoint;
    }

    /** {@return the credentials provider, or {@code null} for the default credential chain} */
    public @Nullable AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** {@return how an {@link SqsBackend}'s queues write and read jobs, e.g. with a Python status dialect} */
    public JobCodec codec() {
        return codec;
    }

    /**
     * Builds a new client; the caller owns it and closes it. Its SDK-level retries are off:
     * Ergate retries failed calls itself (a second retry layer would re-send a message whose
     * first send timed out after SQS took it, and forks the job's chain).
     *
     * @return the client
     * @throws IllegalStateException if no region is configured anywhere and no endpoint is set
     */
    public SqsClient createClient() {
        SqsClientBuilder builder = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(connectTimeout)
                        .socketTimeout(socketTimeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(apiCallTimeout)
                        // Ergate retries every call itself; an SDK retry under it would send a
                        // message whose first send timed out after SQS took it a second time
                        // (two messages, two chains), and multiply the attempts of each retry
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .build())
                .region(resolveRegion())
                .credentialsProvider(credentials != null
                        ? credentials
                        : DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private Region resolveRegion() {
        if (region != null) {
            return Region.of(region);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (endpoint != null) {
                return LOCAL_FALLBACK_REGION;
            }
            throw new IllegalStateException("no AWS region configured for SQS: set SqsOptions.region(...),"
                    + " AWS_REGION, or a profile region", e);
        }
    }

    @Override
    public String toString() {
        return "SqsOptions[region=" + region + ", endpoint=" + endpoint + ", credentials="
                + (credentials == null ? "default chain" : credentials.getClass().getSimpleName())
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", apiCallTimeout=" + apiCallTimeout + "]";
    }

    /** Builds {@link SqsOptions}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private @Nullable String region;
        private @Nullable URI endpoint;
        private @Nullable AwsCredentialsProvider credentials;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private Duration apiCallTimeout = Duration.ofSeconds(60);
        private JobCodec codec = JobCodec.standard();

        private Builder() {
        }

        private Builder(SqsOptions o) {
            this.region = o.region;
            this.endpoint = o.endpoint;
            this.credentials = o.credentials;
            this.connectTimeout = o.connectTimeout;
            this.socketTimeout = o.socketTimeout;
            this.apiCallTimeout = o.apiCallTimeout;
            this.codec = o.codec;
        }

        /** @param region an AWS region name such as {@code eu-west-1}, or {@code null} for the default chain */
        public Builder region(@Nullable String region) {
            this.region = region;
            return this;
        }

        /** @param endpoint an endpoint override such as {@code http://127.0.0.1:9324}, or {@code null} */
        public Builder endpoint(@Nullable URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** @param endpoint an endpoint override as text, or {@code null} */
        public Builder endpoint(@Nullable String endpoint) {
            return endpoint(endpoint == null ? null : URI.create(endpoint));
        }

        /** @param credentials the credentials provider, or {@code null} for the default chain */
        public Builder credentials(@Nullable AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** @param connectTimeout how long to wait for a TCP connection */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** @param socketTimeout how long a read may block: more than 20 s, the longest long poll */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
            return this;
        }

        /** @param apiCallTimeout how long one call may take, retries included: more than the socket timeout */
        public Builder apiCallTimeout(Duration apiCallTimeout) {
            this.apiCallTimeout = Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
            return this;
        }

        /** @param codec how jobs are written and read; {@link JobCodec#standard()} by default */
        public Builder codec(JobCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the setting, if a value can't work
         */
        public SqsOptions build() {
            if (region != null && region.isBlank()) {
                throw new IllegalArgumentException("region must not be blank; use null for the default chain");
            }
            if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
                throw new IllegalArgumentException("endpoint must be an absolute URL such as http://127.0.0.1:9324, got "
                        + endpoint);
            }
            if (connectTimeout.isZero() || connectTimeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
            }
            if (socketTimeout.compareTo(SqsQueueOptions.SQS_MAX_LONG_POLL) <= 0) {
                throw new IllegalArgumentException("socketTimeout must be longer than SQS's 20 s long poll, got "
                        + socketTimeout);
            }
            if (apiCallTimeout.compareTo(socketTimeout) <= 0) {
                throw new IllegalArgumentException("apiCallTimeout (" + apiCallTimeout
                        + ") must be longer than socketTimeout (" + socketTimeout + ")");
            }
            return new SqsOptions(this);
        }
    }
}
