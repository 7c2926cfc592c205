/**
 * The Ergate engine: {@link dev.ergate.runtime.Workflow workflow definitions} (by builder or by
 * annotated class), step parameter injection, the {@link dev.ergate.runtime.Ergate worker}, the
 * synchronous {@link dev.ergate.runtime.JobRunner} it drives, and the {@link
 * dev.ergate.runtime.ErgatePublisher publisher}.
 */
@NullMarked
package dev.ergate.runtime;

import org.jspecify.annotations.NullMarked;
