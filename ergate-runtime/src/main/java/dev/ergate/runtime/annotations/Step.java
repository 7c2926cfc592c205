package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link ErgateWorkflow @ErgateWorkflow} class as a step.
 *
 * <p><b>Order.</b> Java reflection returns methods in no reliable order, so every step states its
 * place with {@link #order()}: steps run in ascending order, and two steps with the same order
 * are a definition error. Gaps are fine (10, 20, 30 leaves room to insert).
 *
 * <p><b>Parameters</b>, each one of: the input ({@link Input @Input}, at most one), the user
 * context ({@link UserContext @UserContext}), a dependency ({@link Depends @Depends}), or,
 * without annotation, a {@link dev.ergate.Job} or {@link dev.ergate.runtime.StepContext}. Any
 * other parameter is a definition error.
 *
 * <p><b>Result.</b> The return value (converted to JSON; {@code void} gives null) is the next
 * step's input; throw or return a {@link dev.ergate.runtime.GoToStep}, {@link
 * dev.ergate.runtime.GoToEnd} or {@link dev.ergate.runtime.AbortJob} to steer the job.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {

    /** The {@link #paths()} entry for "may end the job". */
    String END = "$end";
    /** The {@link #paths()} entry for "may go on to the next step". */
    String NEXT = "$next";

    /** @return the step's place in the workflow; steps run in ascending order */
    int order();

    /** @return the step's name; the method's name when empty */
    String name() default "";

    /**
     * @return where the step may lead, for the progress prediction: names of later steps, {@link
     *     #END} and {@link #NEXT}; empty means {@link #NEXT} alone
     */
    String[] paths() default {};

    /**
     * @return the longest the step may run, as an ISO-8601 duration ({@code "PT30S"}); empty for no
     *     limit
     */
    String timeout() default "";
}
