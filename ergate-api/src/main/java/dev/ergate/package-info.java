/**
 * The Ergate model: {@link dev.ergate.Job}, its {@link dev.ergate.JobStatus} and the
 * {@link dev.ergate.JobCodec} that reads and writes Python Ergate's JSON.
 */
@NullMarked
package dev.ergate;

import org.jspecify.annotations.NullMarked;
