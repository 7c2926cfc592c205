package dev.ergate.sqs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobId;

/** Test jobs. */
final class Jobs {

    private Jobs() {
    }

    static Job job(String id) {
        return Job.builder().id(JobId.of(id)).workflowName("wf").stepName("first")
                .initialInputValue(JsonNodeFactory.instance.textNode("in-" + id)).build();
    }

    static Job rich(String id) {
        ObjectNode context = JsonNodeFactory.instance.objectNode().put("tenant", "acme").put("n", 7);
        return Job.builder().id(JobId.of(id)).workflowName("wf").stepName("second")
                .stepsCompleted(1).percentCompleted(33.5)
                .initialInputValue(JsonNodeFactory.instance.arrayNode().add(1).add("two"))
                .lastReturnValue(JsonNodeFactory.instance.objectNode().put("ok", true))
                .userContext(context)
                .extraField("current_step", JsonNodeFactory.instance.textNode("second"))
                .extraField("x_other", JsonNodeFactory.instance.numberNode(12))
                .build();
    }
}
