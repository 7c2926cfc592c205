package dev.ergate.fault;

import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisOptions;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.schedule.Scheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One scheduler process of {@link ScheduleFaultTest}: a {@link Scheduler} on Redis (args: URI,
 * namespace, owner) with a 3-second claim lease, submitting to the namespace's queue and store,
 * until it is killed.
 */
public final class ScheduleProcessMain {

    private ScheduleProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisBackend redis = RedisBackend.connect(RedisOptions.builder().uri(args[0]).namespace(args[1]).build());
        RedisJobQueue queue = redis.queue();
        ErgateClient client = ErgateClient.builder(queue).store(redis.store()).scheduleStore(redis.schedules())
                .build();
        Scheduler.builder(redis.schedules(), client).jobStore(redis.store()).owner(args[2])
                .claimLease(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200)).build().start();
        new CountDownLatch(1).await();      // until SIGKILL
    }
}
