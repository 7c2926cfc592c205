package dev.ergate.spring.boot;

import dev.ergate.JobCodec;
import dev.ergate.internal.UriRedaction;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Turns an adapter's refusal of a value into a start-up failure naming the property. */
final class PropertyChecks {

    private PropertyChecks() {
    }

    /**
     * @param property the property's name, such as {@code ergate.redis.uri}
     * @param value its value, as shown in the message (give {@link #redact} of a URI)
     * @param check builds what the value configures; its {@link IllegalArgumentException} is the reason
     */
    static void check(String property, @Nullable Object value, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    /**
     * As {@link #check}, returning what was built.
     *
     * @param <T> what the value configures
     */
    static <T> T build(String property, @Nullable Object value, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    /** {@return the URI with any password replaced by {@code ***}, safe for logs and messages} */
    static @Nullable String redact(@Nullable String uri) {
        return uri == null ? null : UriRedaction.redact(uri);
    }

    /** {@return the codec of {@code ergate.dialect} and {@code ergate.write-status-codes}} */
    static JobCodec codec(ErgateProperties properties) {
        JobCodec.Builder codec = JobCodec.builder().dialect(properties.getDialect());
        Boolean writeStatusCodes = properties.getWriteStatusCodes();
        if (writeStatusCodes != null) {
            codec.writeStatusCodes(writeStatusCodes);
        }
        return codec.build();
    }

    /** {@return the worker's thread count, as the runtime picks it when unset} */
    static int concurrency(ErgateProperties properties) {
        Integer configured = properties.getWorker().getConcurrency();
        return configured != null ? configured : Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
