package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that provides a dependency of its (generic) return type, once per step
 * execution. Its parameters are supplied like a step's: {@link Input @Input}, {@link UserContext @UserContext}
 *, {@link Depends @Depends} (other dependencies, to any depth; a cycle is a
 * definition error), a {@link dev.ergate.Job} or a {@link dev.ergate.runtime.StepContext}. A result
 * that is {@link AutoCloseable} is closed after the step, also when the step throws.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Provides {
}
