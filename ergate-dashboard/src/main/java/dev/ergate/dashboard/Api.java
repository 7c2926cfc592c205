package dev.ergate.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ergate.Job;
import dev.ergate.JobCodec;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.DeadLetter;
import dev.ergate.spi.JobEvent;
import dev.ergate.spi.JobFilter;
import dev.ergate.spi.QueueCounts;
import dev.ergate.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's JSON endpoints: what each page reads and the actions its buttons post. Every
 * value goes out as JSON data (the pages put it in the document as text, never as markup).
 * Thread-safe.
 */
final class Api {

    /** A request the caller got wrong: answered 400 with the message. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JobCodec CODEC = JobCodec.standard();

    private final Operations operations;
    private final DashboardOptions options;
    private final Throughput throughput;

    Api(Operations operations, DashboardOptions options) {
        this.operations = operations;
        this.options = options;
        this.throughput = new Throughput(options.clock(), options.throughputWindow());
    }

    ObjectNode overview() {
        Map<String, Map<JobStatus, Long>> counts = new TreeMap<>(operations.counts());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode statuses = out.putArray("statuses");
        Arrays.stream(JobStatus.values()).forEach(s -> statuses.add(s.name()));
        ArrayNode workflows = out.putArray("workflows");
        long[] totals = new long[JobStatus.values().length];
        long finalJobs = 0;
        for (Map.Entry<String, Map<JobStatus, Long>> workflow : counts.entrySet()) {
            ObjectNode row = workflows.addObject();
            row.put("name", workflow.getKey());
            ObjectNode byStatus = row.putObject("counts");
            long total = 0;
            for (JobStatus status : JobStatus.values()) {
                long n = workflow.getValue().getOrDefault(status, 0L);
                byStatus.put(status.name(), n);
                totals[status.ordinal()] += n;
                total += n;
                if (status.isFinal()) {
                    finalJobs += n;
                }
            }
            row.put("total", total);
        }
        ObjectNode totalNode = out.putObject("totals");
        for (JobStatus status : JobStatus.values()) {
            totalNode.put(status.name(), totals[status.ordinal()]);
        }
        throughput.sample(finalJobs);
        Optional<QueueCounts> queue = operations.queueCounts();
        if (queue.isPresent()) {
            QueueCounts q = queue.get();
            ObjectNode node = out.putObject("queue");
            node.put("ready", q.ready());
            node.put("delayed", q.delayed());
            node.put("inFlight", q.inFlight());
            node.put("deadLetters", q.deadLetters());
            node.put("approximate", q.approximate());
        } else {
            out.putNull("queue");
        }
        ObjectNode chart = out.putObject("throughput");
        chart.put("slotSeconds", throughput.slot().toSeconds());
        ArrayNode slots = chart.putArray("slots");
        for (Throughput.Slot slot : throughput.slots()) {
            slots.addObject().put("start", slot.start().toString()).put("finished", slot.finished());
        }
        out.put("at", options.clock().instant().toString());
        return out;
    }

    ObjectNode session() {
        ObjectNode out = JSON.createObjectNode();
        out.put("title", options.title());
        out.put("readOnly", options.readOnly());
        out.put("refreshMs", options.refreshInterval().toMillis());
        Operations.Capabilities caps = operations.capabilities();
        ObjectNode c = out.putObject("capabilities");
        c.put("retry", caps.retry());
        c.put("delete", caps.delete());
        c.put("history", caps.history());
        c.put("listDeadLetters", caps.listDeadLetters());
        c.put("requeue", caps.requeue());
        c.put("purgeDeadLetters", caps.purgeDeadLetters());
        ArrayNode notes = c.putArray("notes");
        caps.notes().forEach(notes::add);
        return out;
    }

    ObjectNode jobs(Map<String, String> query) {
        JobStatus status = parseStatus(query.get("status"));
        String workflow = blankToNull(query.get("workflow"));
        String id = blankToNull(query.get("id"));
        Operations.Page<StoredJob> page = operations.jobs(JobFilter.builder().status(status).workflowName(workflow)
                .idPrefix(id).cursor(blankToNull(query.get("cursor"))).pageSize(options.pageSize()).build(),
                options.pageSize());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode jobs = out.putArray("jobs");
        for (StoredJob job : page.items()) {
            summary(jobs.addObject(), job);
        }
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    ObjectNode job(Map<String, String> query) {
        String text = blankToNull(query.get("id"));
        if (text == null) {
            throw new BadRequest("give the job's id: /api/job?id=ID");
        }
        Optional<Operations.JobDetail> found = find(text);
        ObjectNode out = JSON.createObjectNode();
        if (found.isEmpty()) {
            out.put("found", false);
            out.put("id", text);
            return out;
        }
        Job job = found.get().stored().job();
        out.put("found", true);
        summary(out.putObject("summary"), found.get().stored());
        ObjectNode fields = out.putObject("fields");
        JsonNode tree = CODEC.toTree(job);
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("exception_traceback")) {
                continue;
            }
            fields.put(field.getKey(), pretty(field.getValue()));
        }
        out.put("traceback", job.exceptionTraceback());
        out.put("document", pretty(tree));
        Operations.JobDetail detail = found.get();
        List<JobEvent> events = detail.history();
        if (events == null) {
            out.putNull("history");
        } else {
            ArrayNode history = out.putArray("history");
            for (JobEvent entry : events) {
                history.addObject()
                        .put("at", entry.at().toString())
                        .put("status", entry.status().name())
                        .put("step", entry.stepName())
                        .put("stepsCompleted", entry.stepsCompleted())
                        .put("percent", entry.percentCompleted());
            }
        }
        out.put("historyNote", detail.historyNote());
        return out;
    }

    ObjectNode jobAction(String action, JsonNode body) {
        String text = requiredText(body, "id");
        JobId id = find(text).map(d -> d.stored().job().id()).orElse(null);
        if (id == null) {
            return outcome(new Operations.Outcome(false, "no job " + text));
        }
        return outcome(switch (action) {
            case "cancel" -> operations.cancel(id);
            case "retry" -> operations.retry(id);
            case "delete" -> operations.delete(id);
            default -> throw new BadRequest("unknown job action '" + action + "'");
        });
    }

    ObjectNode deadLetters(Map<String, String> query) {
        Operations.Page<DeadLetter> page = operations.deadLetters(blankToNull(query.get("cursor")), options.pageSize());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (DeadLetter letter : page.items()) {
            items.addObject()
                    .put("id", letter.id())
                    .put("sourceQueue", letter.sourceQueue())
                    .put("reason", letter.reason())
                    .put("at", letter.at().toString())
                    .put("deliveryCount", letter.deliveryCount())
                    .put("jobId", letter.jobId())
                    .put("body", prettyBody(letter.body()));
        }
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    ObjectNode deadLetterAction(String action, JsonNode body) {
        return outcome(switch (action) {
            case "requeue" -> body.path("all").asBoolean(false)
                    ? operations.requeueAll()
                    : operations.requeue(requiredText(body, "id"));
            case "purge" -> operations.purgeDeadLetters(cutoff(body));
            default -> throw new BadRequest("unknown dead-letter action '" + action + "'");
        });
    }

    private Instant cutoff(JsonNode body) {
        if (body.hasNonNull("before")) {
            try {
                return Instant.parse(body.get("before").asText());
            } catch (DateTimeParseException e) {
                throw new BadRequest("'before' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '"
                        + body.get("before").asText() + "'");
            }
        }
        long minutes = body.path("olderThanMinutes").asLong(0);
        if (minutes < 0) {
            throw new BadRequest("'olderThanMinutes' must be 0 or more, got " + minutes);
        }
        return options.clock().instant().minus(Duration.ofMinutes(minutes));
    }

    private Optional<Operations.JobDetail> find(String text) {
        Optional<Operations.JobDetail> found = operations.job(JobId.of(text));
        if (found.isEmpty() && text.matches("-?[0-9]{1,18}")) {
            found = operations.job(JobId.of(Long.parseLong(text)));
        }
        return found;
    }

    private static ObjectNode outcome(Operations.Outcome outcome) {
        return JSON.createObjectNode().put("done", outcome.done()).put("message", outcome.message());
    }

    private static void summary(ObjectNode node, StoredJob stored) {
        Job job = stored.job();
        Instant updated = stored.updatedAt();
        node.put("updatedAt", updated == null ? null : updated.toString());
        JobId id = job.id();
        node.put("id", id == null ? null : id.value());
        node.put("workflow", job.workflowName());
        node.put("status", job.status().name());
        node.put("final", job.status().isFinal());
        node.put("step", job.stepName());
        node.put("stepsCompleted", job.stepsCompleted());
        node.put("percent", job.percentCompleted());
        Instant start = job.requestedStartTime();
        node.put("requestedStartTime", start == null ? null : start.toString());
        node.put("failed", job.exceptionTraceback() != null);
    }

    static String pretty(JsonNode value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (Exception e) {
            return value.toString();
        }
    }

    /** {@return the body pretty-printed when it is JSON, else as it is} */
    static String prettyBody(String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            return tree == null || !tree.isContainerNode() ? body : pretty(tree);
        } catch (Exception e) {
            return body;
        }
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            throw new BadRequest("the request needs a non-empty '" + field + "'");
        }
        return value.asText();
    }

    static @Nullable JobStatus parseStatus(@Nullable String text) {
        String value = blankToNull(text);
        if (value == null) {
            return null;
        }
        try {
            return JobStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("unknown status '" + value + "'; one of " + Arrays.toString(JobStatus.values()));
        }
    }

    static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
