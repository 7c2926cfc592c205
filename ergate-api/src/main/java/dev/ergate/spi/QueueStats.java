package dev.ergate.spi;

/**
 * Optional capability of a {@link JobQueue}: how many messages it holds, by where they are.
 * Every built-in queue implements it; callers test with {@code queue instanceof QueueStats}.
 */
public interface QueueStats {

    /** {@return the queue's counts now; a near snapshot under load, never cached} */
    QueueCounts counts();
}
