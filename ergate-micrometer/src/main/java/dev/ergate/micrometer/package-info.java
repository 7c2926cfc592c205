/**
 * Micrometer meters for Ergate: {@link dev.ergate.micrometer.ErgateMetrics} counts and times what
 * a worker does, {@link dev.ergate.micrometer.ErgateGauges} reports worker threads and queue
 * depth. Names and tags are listed in the module's README.
 */
@NullMarked
package dev.ergate.micrometer;

import org.jspecify.annotations.NullMarked;
