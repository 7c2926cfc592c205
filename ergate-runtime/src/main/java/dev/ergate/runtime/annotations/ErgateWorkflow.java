package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a workflow definition. Its {@link Step @Step} methods are the steps, run in
 * the order of their {@link Step#order()}; its {@link Provides @Provides} methods provide the
 * workflow's own dependencies; an optional {@link Retry @Retry} on the class is the default retry
 * policy of every step.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ErgateWorkflow {

    /** {@return the workflow's name; the class's simple name when empty} */
    String value() default "";
}
