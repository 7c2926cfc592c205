package dev.ergate.examples;

import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.Dependencies;
import dev.ergate.runtime.Ergate;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.runtime.Workflow;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;

/**
 * The README's quick start, as a program that compiles and runs (a test keeps it working):
 * {@code java -cp ergate-examples/target/ergate-demo.jar dev.ergate.examples.QuickStart}.
 */
public final class QuickStart {

    /** A payment service the workflow depends on; a real one would call a payment provider. */
    public static final class Payments {
        String charge(String user, Order order) {
            return "receipt-" + order.id() + "-" + user;
        }
    }

    /** The first step's input. */
    public record Order(String id, int quantity) {
    }

    private QuickStart() {
    }

    /**
     * Runs one order through the workflow on the in-memory backend.
     *
     * @return the job's final state
     * @throws InterruptedException if interrupted while waiting for the job
     */
    @SuppressWarnings("NullAway") // kept as short as the README shows it: a null order or user fails the step
    public static Job run() throws InterruptedException {
        Workflow orders = Workflow.builder("orders")
                .step("validate", Order.class, (order, ctx) -> {
                    if (order.quantity() <= 0) return new AbortJob("empty order " + order.id());
                    return order;
                })
                .step("charge", Order.class, (order, ctx) -> {
                    String user = ctx.userContext(String.class);
                    return ctx.dependency(Payments.class).charge(user, order);   // a receipt id
                })
                .step("ship", String.class, (receipt, ctx) -> "shipped against " + receipt)
                .build();

        InMemoryJobQueue queue = InMemoryJobQueue.create();   // or Redis, SQS, PostgreSQL
        InMemoryJobStore store = InMemoryJobStore.create();
        try (Ergate worker = Ergate.builder(queue, store)
                .dependencies(Dependencies.builder().singleton(Payments.class, new Payments()).build())
                .build()
                .registerWorkflow(orders)) {
            worker.start();                                   // or run(): blocks until SIGTERM
            ErgateClient client = ErgateClient.builder(queue).store(store).build();
            JobId id = client.submit("orders", new Order("o-1", 2), "alice", null);

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Job job = client.find(id).orElseThrow();
            while (!job.status().isFinal() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                job = client.find(id).orElseThrow();
            }
            return job;                                       // COMPLETED, "shipped against receipt-o-1-alice"
        }
    }

    /**
     * @param args none
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Job job = run();
        System.out.println(job.status() + ": " + job.lastReturnValue().asText());
    }
}
