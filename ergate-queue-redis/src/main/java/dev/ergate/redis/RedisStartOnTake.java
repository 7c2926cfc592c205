package dev.ergate.redis;

import dev.ergate.JobStatus;
import dev.ergate.spi.StepPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RedisJobQueue} that starts steps on take ({@link RedisJobQueue#startOnTake}) adds
 * to its claims: the worker's step plan, kept in Redis under a key named by its content (written
 * once, by {@code plan_save.lua}, and again when a claim finds it gone), and the keys a claim that
 * starts steps declares (the QUEUED and RUNNING indexes and that plan key). The script side is
 * {@code start_claimed} in {@code lib.lua}.
 *
 * <p>Thread-safe.
 */
final class RedisStartOnTake {

    /** How long a plan key lives after it was last written; a claim that finds it gone has it written again. */
    static final Duration PLAN_TTL = Duration.ofDays(1);

    private final RedisJobQueue queue;
    private final StepPlan plan;
    private volatile @Nullable Plan current;

    RedisStartOnTake(RedisJobQueue queue, StepPlan plan) {
        this.queue = queue;
        this.plan = plan;
    }

    /**
     * One version of the plan: its key, the keys a claim that starts steps declares, and whether
     * this JVM wrote it (or found it gone since).
     */
    static final class Plan {
        final Map<String, List<String>> steps;
        final byte[] key;
        final List<byte[]> claimKeys;
        final List<Object> saveArgs;
        final AtomicBoolean written = new AtomicBoolean();

        Plan(Map<String, List<String>> steps, byte[] key, List<byte[]> claimKeys, List<Object> saveArgs) {
            this.steps = steps;
            this.key = key;
            this.claimKeys = claimKeys;
            this.saveArgs = saveArgs;
        }
    }

    /**
     * {@return the plan to start steps by, written to Redis first if this JVM has not yet (or a
     * claim found it gone); null while the worker runs no workflow}
     *
     * @throws dev.ergate.spi.ErgateBackendException if writing it fails
     */
    @Nullable Plan plan() {
        Map<String, List<String>> steps = plan.stepsByWorkflow();
        Plan seen = current;
        // the runtime hands the same map until a workflow is added; an equal new one is the same plan
        if (seen == null ? !steps.isEmpty() : seen.steps != steps && !seen.steps.equals(steps)) {
            seen = steps.isEmpty() ? null : encode(steps);
            current = seen;
        }
        if (seen != null && !seen.written.get()) {
            Plan writing = seen;
            queue.failures().call("write the step plan of the start on take", () -> Scripts.PLAN_SAVE.run(
                    queue.client(), List.of(writing.key), writing.saveArgs));
            seen.written.set(true);
        }
        return seen;
    }

    /** A claim found the plan key gone (expired, or the data lost): it is written again before the next claim. */
    void planLost(Plan lost) {
        lost.written.set(false);
    }

    private Plan encode(Map<String, List<String>> steps) {
        List<Object> saveArgs = new ArrayList<>();
        saveArgs.add(PLAN_TTL.toMillis());
        MessageDigest sha1 = sha1();
        // sorted, each string length-prefixed: workers with the same workflows name the same key
        for (Map.Entry<String, List<String>> workflow : new TreeMap<>(steps).entrySet()) {
            List<String> names = workflow.getValue();
            for (int i = 0; i < names.size(); i++) {
                String field = workflow.getKey() + "\n" + i;
                saveArgs.add(field);
                saveArgs.add(names.get(i));
                digest(sha1, field);
                digest(sha1, names.get(i));
            }
        }
        RedisKeys keys = queue.keys();
        byte[] key = keys.plan(HexFormat.of().formatHex(sha1.digest())).getBytes(StandardCharsets.UTF_8);
        List<byte[]> claimKeys = new ArrayList<>(keys.queueKeys());
        claimKeys.add(keys.statusIndexBytes(JobStatus.QUEUED));
        claimKeys.add(keys.statusIndexBytes(JobStatus.RUNNING));
        claimKeys.add(key);
        return new Plan(steps, key, List.copyOf(claimKeys), List.copyOf(saveArgs));
    }

    private static void digest(MessageDigest sha1, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha1.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha1.update((byte) ':');
        sha1.update(bytes);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }
}
