package dev.ergate.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;

/**
 * Redis without Ergate: the classic reliable queue in two round trips per step, with plain Jedis,
 * one connection per thread. Take: {@code LMOVE ready processing} (the message is leased by being
 * on the processing list). Finish: {@code MULTI; HSET state; RPUSH ready; LREM processing; EXEC}
 * (state written, next step put, delivery acked, atomically). Not thread-safe: used from one
 * thread, it runs its own loop threads.
 */
final class RedisRawBaseline implements RawBaseline {

    private final URI uri;

    RedisRawBaseline(URI uri) {
        this.uri = uri;
    }

    @Override
    public String describe() {
        return "Jedis: LMOVE ready->processing; MULTI HSET state + RPUSH ready + LREM processing EXEC"
                + " (2 round trips)";
    }

    @Override
    public BaselineResult run(String runId, int threads, int depth, long steps, byte[] message) throws Exception {
        byte[] ready = key(runId, "ready");
        byte[] processing = key(runId, "processing");
        byte[] state = key(runId, "state");
        try (Jedis setup = new Jedis(uri)) {
            setup.del(ready, processing, state);
            Pipeline pipeline = setup.pipelined();
            for (int i = 0; i < depth; i++) {
                pipeline.rpush(ready, message);
            }
            pipeline.sync();
            try {
                long nanos = BaselineLoops.run("redis", threads, steps, index -> new Looper(
                        new Jedis(uri), ready, processing, state, message, index, Math.max(1, depth / threads)));
                return new BaselineResult(describe(), steps, nanos);
            } finally {
                setup.del(ready, processing, state);
            }
        }
    }

    private static byte[] key(String runId, String name) {
        return ("ergbench:{" + runId + "}:" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** One thread's connection and loop. */
    private static final class Looper implements BaselineLoops.Looper {
        private final Jedis jedis;
        private final byte[] ready;
        private final byte[] processing;
        private final byte[] state;
        private final byte[][] fields;
        private int next;

        Looper(Jedis jedis, byte[] ready, byte[] processing, byte[] state, byte[] message, int index, int jobs) {
            this.jedis = jedis;
            this.ready = ready;
            this.processing = processing;
            this.state = state;
            this.fields = new byte[jobs][];
            for (int i = 0; i < jobs; i++) {
                fields[i] = ("job-" + index + "-" + i).getBytes(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void step() {
            byte[] taken = jedis.lmove(ready, processing, ListDirection.LEFT, ListDirection.RIGHT);
            if (taken == null) {
                taken = jedis.blmove(ready, processing, ListDirection.LEFT, ListDirection.RIGHT, 5.0);
                if (taken == null) {
                    throw new IllegalStateException("redis baseline: the ready list stayed empty for 5 s");
                }
            }
            Transaction tx = jedis.multi();
            tx.hset(state, fields[next], taken);
            tx.rpush(ready, taken);
            tx.lrem(processing, 1, taken);
            tx.exec();
            next = (next + 1) % fields.length;
        }

        @Override
        public void close() {
            jedis.close();
        }
    }
}
