/**
 * Annotations for defining a workflow as a class: {@link
 * dev.ergate.runtime.annotations.ErgateWorkflow @ErgateWorkflow} on the class, {@link
 * dev.ergate.runtime.annotations.Step @Step} on its step methods, and parameter markers {@link
 * dev.ergate.runtime.annotations.Input @Input}, {@link dev.ergate.runtime.annotations.UserContext @UserContext}
 * and {@link dev.ergate.runtime.annotations.Depends @Depends}. Compile such a class
 * with {@link dev.ergate.runtime.Workflow#fromAnnotated(Object)}.
 */
@NullMarked
package dev.ergate.runtime.annotations;

import org.jspecify.annotations.NullMarked;
