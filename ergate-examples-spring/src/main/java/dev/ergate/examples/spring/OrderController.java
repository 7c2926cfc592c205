package dev.ergate.examples.spring;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.runtime.ErgateClient;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Takes orders over HTTP and shows their jobs, through the starter's {@link ErgateClient}. */
@RestController
public class OrderController {

    private final ErgateClient ergate;

    OrderController(ErgateClient ergate) {
        this.ergate = ergate;
    }

    /**
     * What the client sees of an order's job.
     *
     * @param jobId the job's id
     * @param status QUEUED, RUNNING, COMPLETED, ABORTED, ...
     * @param stepsCompleted steps done
     * @param percentCompleted how far, 0 to 100
     * @param result the last step's return value, as JSON text, when there is one
     */
    public record OrderJob(String jobId, String status, int stepsCompleted, double percentCompleted,
            @Nullable String result) {

        static OrderJob of(Job job) {
            String result = job.lastReturnValue().isNull() ? null : job.lastReturnValue().toString();
            return new OrderJob(String.valueOf(job.id()), job.status().name(), job.stepsCompleted(),
                    job.percentCompleted(), result);
        }
    }

    /** {@return 202 with the job's id; the worker runs it} */
    @PostMapping("/orders")
    ResponseEntity<OrderJob> submit(@RequestBody Order order) {
        JobId id = ergate.submit("orders", order);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new OrderJob(id.toString(), "QUEUED", 0, 0, null));
    }

    /** {@return the job's last recorded state, or 404} */
    @GetMapping("/orders/{jobId}")
    ResponseEntity<OrderJob> find(@PathVariable String jobId) {
        return ergate.find(JobId.of(jobId))
                .map(job -> ResponseEntity.ok(OrderJob.of(job)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
