/**
 * The {@code ergate} command line: jobs, dead letters, queue stats, submitting a job and the
 * dashboard, against Redis, PostgreSQL or SQS (see the module README).
 */
@NullMarked
package dev.ergate.cli;

import org.jspecify.annotations.NullMarked;
