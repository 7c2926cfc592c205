package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A retry policy (see {@link dev.ergate.runtime.RetryPolicy}) for one step, on a {@link Step @Step}
 * method, or for every step of the workflow, on the {@link ErgateWorkflow @ErgateWorkflow} class.
 * Durations are ISO-8601 ({@code "PT1S"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {

    /** {@return the most attempts, first included} */
    int maxAttempts();

    /** {@return the wait before the second attempt} */
    String initialDelay() default "PT1S";

    /** {@return the growth of the wait per attempt} */
    double multiplier() default 2.0;

    /** {@return the longest wait} */
    String maxDelay() default "PT5M";

    /** {@return the random spread of each wait, 0 to 1} */
    double jitter() default 0.2;

    /** {@return the exception types that are retried} */
    Class<? extends Throwable>[] on() default {Exception.class};
}
