package dev.ergate.runtime.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link ErgateWorkflow @ErgateWorkflow} class as a step, run in ascending
 * {@link #order()} (reflection keeps no source order). Parameters: {@link Input @Input}, {@link
 * UserContext @UserContext}, {@link Depends @Depends}, a {@link dev.ergate.Job} or a {@link
 * dev.ergate.runtime.StepContext}; the return value is the next step's input (runtime README).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {

    /** The {@link #paths()} entry for "may end the job". */
    String END = "$end";
    /** The {@link #paths()} entry for "may go on to the next step". */
    String NEXT = "$next";

    /** {@return the step's place in the workflow; steps run in ascending order} */
    int order();

    /** {@return the step's name; the method's name when empty} */
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
