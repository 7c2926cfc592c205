/**
 * OpenTelemetry tracing for Ergate: {@link dev.ergate.opentelemetry.ErgateTracing} carries the
 * W3C trace context from submit through every step of a job, each step in a span of its own.
 */
@NullMarked
package dev.ergate.opentelemetry;

import org.jspecify.annotations.NullMarked;
