package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter that receives a dependency, found by the parameter's declared (generic) type
 * among the workflow's own dependencies ({@link Provides @Provides} methods of the workflow
 * class), then the app's {@link dev.ergate.runtime.Dependencies}. Each dependency is created at
 * most once per step execution; per-step ones are closed after the step in reverse order.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Depends {
}
