/**
 * Ergate on Redis: a reliable {@link dev.ergate.redis.RedisJobQueue} (leased deliveries, delayed
 * delivery, dead letters, an atomic step finish) and a {@link dev.ergate.redis.RedisJobStore},
 * both made by a {@link dev.ergate.redis.RedisBackend} from a {@code redis://} or {@code
 * rediss://} URI.
 */
@NullMarked
package dev.ergate.redis;

import org.jspecify.annotations.NullMarked;
