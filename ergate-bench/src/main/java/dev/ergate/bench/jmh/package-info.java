/**
 * JMH benchmarks of the engine's own cost: encoding and decoding a job, one step through the
 * {@code JobRunner}, and one step through a running {@code Ergate} worker on the in-memory
 * backend. Run them from the runnable jar: {@code java -cp ergate-bench/target/ergate-bench.jar
 * org.openjdk.jmh.Main dev.ergate.bench.jmh -prof gc}.
 */
@NullMarked
package dev.ergate.bench.jmh;

import org.jspecify.annotations.NullMarked;
