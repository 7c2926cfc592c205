package dev.ergate.spring.boot;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a backend is used for the queue ({@code ergate.backend}) or, under SQS, for the
 * job store ({@code ergate.sqs.store}).
 */
abstract class UsesBackend extends SpringBootCondition {

    private final String name;

    UsesBackend(String name) {
        this.name = name;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String backend = lower(context.getEnvironment().getProperty("ergate.backend"));
        if (name.equals(backend)) {
            return ConditionOutcome.match("ergate.backend=" + name);
        }
        String sqsStore = lower(context.getEnvironment().getProperty("ergate.sqs.store"));
        if ("sqs".equals(backend) && name.equals(sqsStore)) {
            return ConditionOutcome.match("ergate.backend=sqs with ergate.sqs.store=" + name);
        }
        return ConditionOutcome.noMatch("ergate.backend is " + backend + ", ergate.sqs.store is " + sqsStore);
    }

    private static String lower(@Nullable String value) {
        return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    }

    static final class Redis extends UsesBackend {
        Redis() {
            super("redis");
        }
    }

    static final class Postgres extends UsesBackend {
        Postgres() {
            super("postgres");
        }
    }

    static final class Memory extends UsesBackend {
        Memory() {
            super("memory");
        }
    }
}
