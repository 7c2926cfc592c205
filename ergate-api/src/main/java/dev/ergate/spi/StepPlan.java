package dev.ergate.spi;

import java.util.List;
import java.util.Map;

/**
 * The steps a worker runs, by workflow, for a queue that records a step's start as it leases
 * the job ({@link JobQueue#startOnTake}). Implementations are thread-safe.
 */
@FunctionalInterface
public interface StepPlan {

    /**
     * {@return every workflow the worker runs, by name, with its step names in order; the same
     * map object while no workflow was added (a queue may cache what it derives from it), never
     * changed once returned}
     */
    Map<String, List<String>> stepsByWorkflow();
}
