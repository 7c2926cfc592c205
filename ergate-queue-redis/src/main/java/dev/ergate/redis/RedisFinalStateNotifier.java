package dev.ergate.redis;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.internal.FinalStateFanOut;
import dev.ergate.internal.ListenerThread;
import dev.ergate.spi.FinalStateNotifier;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * Tells subscribers when a job of a {@link RedisJobStore} becomes final: the store's scripts
 * publish the job's id on the namespace's channel {@code {ns}:jobs:final} with every final write,
 * and one thread per notifier listens (subscribed on first use), so {@code ErgateClient.await}
 * wakes at once: {@code ErgateClient.builder(queue).store(store).finalStateNotifier(notifier)}.
 * A missed message (a reconnect) only delays a waiter to its next poll. Thread-safe.
 */
public final class RedisFinalStateNotifier implements FinalStateNotifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisFinalStateNotifier.class);

    private final RedisJobStore store;
    private final RedisBackend backend;
    private final String channel;
    private final FinalStateFanOut fanOut;
    private final ListenerThread listenerThread;
    private volatile @Nullable JedisPubSub current;

    private RedisFinalStateNotifier(RedisJobStore store) {
        this.store = store;
        this.backend = store.backend();
        this.channel = new RedisKeys(backend.options().namespace(), RedisQueueOptions.defaults().name()).indexPrefix()
                + "final";
        this.fanOut = new FinalStateFanOut(store::find,
                e -> LOG.debug("{}: a final-state listener threw: {}", this, e.toString()));
        this.listenerThread = new ListenerThread("ergate-redis-final-states", this::listen,
                e -> LOG.warn("{}: listening on {} failed; waiters fall back to polling until it is back: {}", this,
                        channel, e.toString()),
                () -> LOG.info("{}: listening again", this));
    }

    /**
     * @param store the store whose final states to announce
     * @return a notifier; it listens once something subscribes, until {@link #close()}
     */
    public static RedisFinalStateNotifier over(RedisJobStore store) {
        return new RedisFinalStateNotifier(Objects.requireNonNull(store, "store"));
    }

    /** {@return the channel the store's scripts publish final job ids on} */
    public String channel() {
        return channel;
    }

    /**
     * Reads each job that became final (one {@code find}) and tells {@code listener}; prefer
     * {@link #onFinalState(Predicate, Consumer)}, which reads only the jobs of interest.
     */
    @Override
    public Subscription onFinalState(Consumer<Job> listener) {
        return onFinalState(id -> true, listener);
    }

    /** Reads only the jobs {@code interest} accepts, on the listening thread. */
    @Override
    public Subscription onFinalState(Predicate<JobId> interest, Consumer<Job> listener) {
        Subscription subscription = fanOut.subscribe(interest, listener);
        listenerThread.startOnce();
        return subscription;
    }

    /**
     * Waits until the notifier is subscribed (for a test that must not write before it listens).
     *
     * @param timeout how long at most
     * @return true when subscribed
     * @throws InterruptedException if interrupted
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return listenerThread.awaitListening(timeout);
    }

    /** One subscription: blocks until unsubscribed (close) or the connection fails. */
    private void listen() {
        Listening pubSub = new Listening();
        current = pubSub;
        backend.client().subscribe(pubSub, channel);
    }

    /** The subscription of one connection: hands each id to the listeners. */
    private final class Listening extends JedisPubSub {
        @Override
        public void onSubscribe(String channelName, int subscribedChannels) {
            listenerThread.listening();
            if (listenerThread.stopping()) {
                unsubscribe();   // closed while this connection was subscribing
            }
        }

        @Override
        public void onMessage(String channelName, String member) {
            fanOut.announce(member);
        }
    }

    /** Stops listening; subscriptions get no more calls. Idempotent. */
    @Override
    public void close() {
        listenerThread.close(this::unsubscribe, Duration.ofSeconds(5));
    }

    private void unsubscribe() {
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debug("{}: unsubscribe failed: {}", this, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "RedisFinalStateNotifier[" + backend.endpoint() + ", " + channel + "]";
    }
}
