package dev.ergate.redis;

import dev.ergate.JobId;
import dev.ergate.JobStatus;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key layout of one namespace. Every key starts with the hash tag {@code {namespace}}, so
 * all of a namespace's keys are in one Redis Cluster slot and a Lua script may touch any of them.
 *
 * <pre>
 * {ns}:queue:NAME:ready     list   ids of messages of priority 0 ready now, oldest first
 * {ns}:queue:NAME:ranked    zset   ids of messages of another priority ready now, by -priority x 2^42 + number
 * {ns}:queue:NAME:priorities hash  id -> priority, of messages whose priority is not 0
 * {ns}:queue:NAME:delayed   zset   ids of messages not due yet, by due time (ms)
 * {ns}:queue:NAME:leased    zset   ids of taken messages, by lease deadline (ms)
 * {ns}:queue:NAME:msgs      hash   id -> the message's body (the job's JSON)
 * {ns}:queue:NAME:deliveries hash  id -> how many times it was delivered
 * {ns}:queue:NAME:seq       string the last message number
 * {ns}:queue:NAME:signal    list   wakes takers blocked in BLPOP (one entry per ready message)
 * {ns}:queue:NAME:wake      list   wakes a blocked taker when a delayed message is due sooner
 * {ns}:queue:NAME:dead      list   dead letters, one JSON record each
 * {ns}:queue:NAME:puts      hash   put token (member|steps|attempt) -> message id and back
 * {ns}:job:s:ID | n:ID      hash   one job: json, status, workflow, seq, updated (ms), expires
 * {ns}:jobs:seq             string the last job sequence number (listing order)
 * {ns}:jobs:all             zset   every job, by sequence number
 * {ns}:jobs:status:S        zset   jobs in status S
 * {ns}:jobs:workflow:W      zset   jobs of workflow W
 * {ns}:jobs:expiring        zset   final jobs with a retention, by expiry time (ms)
 * {ns}:jobs:unique          hash   unique key -> "heldUntil member" of the job last recorded under it
 * {ns}:admin:retention      string the retention lease's owner, expiring with the lease
 * {ns}:plan:SHA1            hash   "workflow\nindex" -> step name: the steps of a worker that starts steps on take
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
final class RedisKeys {

    private final String tag;
    private final String queuePrefix;
    private final String jobPrefix;
    private final String indexPrefix;
    // the keys and prefixes every script call sends, encoded once (a step runs several scripts)
    private final List<byte[]> queueKeys;
    private final List<byte[]> statusIndexes;
    /** Workflow index keys, encoded once (a worker runs few workflows; bounded for one that is fed many names). */
    private final java.util.Map<String, byte[]> workflowIndexBytes = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, byte[]> eldest) {
                    return size() > 256;
                }
            });
    private final byte[] jobSeqKey;
    private final byte[] expiringKey;
    private final byte[] allJobsKey;
    private final byte[] jobPrefixBytes;
    private final byte[] indexPrefixBytes;

    RedisKeys(String namespace, String queueName) {
        this.tag = "{" + namespace + "}";
        this.queuePrefix = tag + ":queue:" + queueName + ":";
        this.jobPrefix = tag + ":job:";
        this.indexPrefix = tag + ":jobs:";
        this.queueKeys = List.of(bytes(ready()), bytes(delayed()), bytes(leased()), bytes(msgs()), bytes(deliveries()),
                bytes(seq()), bytes(signal()), bytes(wake()), bytes(dead()), bytes(ranked()), bytes(priorities()),
                bytes(puts()));
        List<byte[]> statuses = new ArrayList<>();
        for (JobStatus status : JobStatus.values()) {
            statuses.add(bytes(statusIndex(status.name())));
        }
        this.statusIndexes = List.copyOf(statuses);
        this.jobSeqKey = bytes(jobSeq());
        this.expiringKey = bytes(expiring());
        this.allJobsKey = bytes(allJobs());
        this.jobPrefixBytes = bytes(jobPrefix);
        this.indexPrefixBytes = bytes(indexPrefix);
    }

    /** {@return the keys every queue script takes, in the order the scripts expect} */
    List<byte[]> queueKeys() {
        return queueKeys;
    }

    /**
     * {@return {@code keys} followed by the indexes of two statuses (a step's start or finish moves
     * a job from one to the other) and, when not null, a workflow's index: the keys a step's
     * script declares; a stored job in another status is named by the script (lib.lua, need())}
     */
    List<byte[]> withStatusMove(List<byte[]> keys, JobStatus from, JobStatus to, @Nullable String workflow) {
        List<byte[]> all = new ArrayList<>(keys.size() + 3);
        all.addAll(keys);
        all.add(statusIndexes.get(from.ordinal()));
        if (to != from) {
            all.add(statusIndexes.get(to.ordinal()));
        }
        if (workflow != null) {
            all.add(workflowIndexBytes(workflow));
        }
        return all;
    }

    /** {@return the index of {@code workflow}, encoded (kept for the last 256 workflows)} */
    byte[] workflowIndexBytes(String workflow) {
        return workflowIndexBytes.computeIfAbsent(workflow, name -> bytes(workflowIndex(name)));
    }

    /** {@return the key of the job of {@code member}, encoded} */
    byte[] jobBytes(String member) {
        return bytes(job(member));
    }

    /** {@return {@link #jobSeq()}, encoded} */
    byte[] jobSeqBytes() {
        return jobSeqKey;
    }

    /** {@return {@link #expiring()}, encoded} */
    byte[] expiringBytes() {
        return expiringKey;
    }

    /** {@return {@link #allJobs()}, encoded} */
    byte[] allJobsBytes() {
        return allJobsKey;
    }

    /** {@return the index of {@code status}, encoded} */
    byte[] statusIndexBytes(JobStatus status) {
        return statusIndexes.get(status.ordinal());
    }

    /** {@return the index of every status, for the scripts that may move a job between them} */
    List<byte[]> statusIndexes() {
        return statusIndexes;
    }

    /**
     * {@return {@code keys} followed by every status index and the workflow indexes of {@code
     * workflows}: the index keys a store write declares (see lib.lua, need())}
     */
    List<byte[]> withIndexes(List<byte[]> keys, String... workflows) {
        List<byte[]> all = new ArrayList<>(keys.size() + statusIndexes.size() + workflows.length);
        all.addAll(keys);
        all.addAll(statusIndexes);
        for (String workflow : workflows) {
            all.add(bytes(workflowIndex(workflow)));
        }
        return all;
    }

    /** {@return the keys every store script takes for {@code member}, in the order they expect} */
    List<byte[]> storeKeys(String member) {
        return List.of(bytes(job(member)), jobSeqKey, expiringKey, allJobsKey);
    }

    /** {@return the queue keys, then the store keys for {@code member}: what the finish script takes} */
    List<byte[]> queueAndStoreKeys(String member) {
        List<byte[]> keys = new ArrayList<>(queueKeys.size() + 4);
        keys.addAll(queueKeys);
        keys.addAll(storeKeys(member));
        return keys;
    }

    /** {@return {@link #jobPrefix()}, encoded} */
    byte[] jobPrefixBytes() {
        return jobPrefixBytes;
    }

    /** {@return {@link #indexPrefix()}, encoded} */
    byte[] indexPrefixBytes() {
        return indexPrefixBytes;
    }

    String hashTag() {
        return tag;
    }

    String ready() {
        return queuePrefix + "ready";
    }

    String delayed() {
        return queuePrefix + "delayed";
    }

    String leased() {
        return queuePrefix + "leased";
    }

    /** {@return the put tokens: token (member|steps|attempt) -> message id, and id -> token} */
    String puts() {
        return queuePrefix + "puts";
    }

    String ranked() {
        return queuePrefix + "ranked";
    }

    String priorities() {
        return queuePrefix + "priorities";
    }

    String msgs() {
        return queuePrefix + "msgs";
    }

    String deliveries() {
        return queuePrefix + "deliveries";
    }

    String seq() {
        return queuePrefix + "seq";
    }

    String signal() {
        return queuePrefix + "signal";
    }

    String wake() {
        return queuePrefix + "wake";
    }

    String dead() {
        return queuePrefix + "dead";
    }

    /** {@return the prefix of every job key; the scripts append a member} */
    String jobPrefix() {
        return jobPrefix;
    }

    /** {@return the prefix of the index keys; the scripts append {@code status:S} and so on} */
    String indexPrefix() {
        return indexPrefix;
    }

    String job(String member) {
        return jobPrefix() + member;
    }

    String jobSeq() {
        return indexPrefix() + "seq";
    }

    String allJobs() {
        return indexPrefix() + "all";
    }

    String expiring() {
        return indexPrefix() + "expiring";
    }

    String uniqueKeys() {
        return indexPrefix() + "unique";
    }

    String statusIndex(String status) {
        return indexPrefix() + "status:" + status;
    }

    String workflowIndex(String workflow) {
        return indexPrefix() + "workflow:" + workflow;
    }

    /** {@return the key of a worker's step plan, named by its content's SHA-1 (hex): see plan_save.lua} */
    String plan(String sha1Hex) {
        return tag + ":plan:" + sha1Hex;
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A job id as an index member and key suffix: {@code s:} for a string id, {@code n:} for a
     * numeric one, so {@code "7"} and {@code 7} stay two jobs.
     */
    static String member(JobId id) {
        return (id.isNumeric() ? "n:" : "s:") + id.value();
    }

    /** {@return the id of a {@link #member(JobId)}} */
    static JobId idOf(String member) {
        String value = member.substring(2);
        return member.startsWith("n:") ? JobId.of(new BigInteger(value)) : JobId.of(value);
    }
}
