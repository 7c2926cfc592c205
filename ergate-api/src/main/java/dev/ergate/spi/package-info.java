/**
 * The contracts an Ergate backend implements: a {@link dev.ergate.spi.JobQueue} that hands out
 * leased {@link dev.ergate.spi.Delivery deliveries}, a {@link dev.ergate.spi.StateStore} (and the
 * richer {@link dev.ergate.spi.JobStore}), and a {@link dev.ergate.spi.JobSource} for the
 * publisher. The testkit's contract suites check every adapter against the semantics written
 * here.
 */
@NullMarked
package dev.ergate.spi;

import org.jspecify.annotations.NullMarked;
