package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the step (or provider) parameter that receives the step's input: the job's {@code
 * initial_input_value} for the first step, its {@code last_return_value} after, converted to the
 * parameter's declared type. At most one per method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Input {
}
