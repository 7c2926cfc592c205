/**
 * Ergate's benchmarks: the end-to-end harness ({@link dev.ergate.bench.BenchMain}, {@link
 * dev.ergate.bench.Harness}) that runs a no-op workflow through a real {@code Ergate} worker on
 * one backend (memory, Redis, PostgreSQL, SQS) and, in the same run, a raw baseline of that
 * backend with its plain client; and the JMH benchmarks of the engine's own cost in {@code
 * dev.ergate.bench.jmh}.
 */
@NullMarked
package dev.ergate.bench;

import org.jspecify.annotations.NullMarked;
