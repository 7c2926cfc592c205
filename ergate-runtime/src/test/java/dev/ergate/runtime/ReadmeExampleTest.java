package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import dev.ergate.runtime.support.TestQueue;
import dev.ergate.runtime.support.TestStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's examples, compiled and run. */
class ReadmeExampleTest {

    // --- README: the shared types
    record Order(String sku, int quantity) { }
    record Customer(String name, boolean vip) { }
    static final class PriceList {
        int priceOf(String sku) { return sku.length() * 100; }
    }

    // --- README: style (a), the builder
    static Workflow byBuilder() {
        return Workflow.builder("checkout")
                .step("price", Order.class, (order, ctx) -> {
                    int total = order.quantity() * ctx.dependency(PriceList.class).priceOf(order.sku());
                    if (ctx.userContext(Customer.class).vip()) {
                        return GoToStep.of("receipt", total);          // skip the fraud check
                    }
                    return total;
                }, StepOptions.paths(PathHint.next(), PathHint.goTo("receipt")))
                .step("fraud_check", Integer.class, (total, ctx) -> {
                    if (total > 100_000) {
                        throw new AbortJob("order too large: " + total);
                    }
                    return total;
                })
                .step("receipt", Integer.class, (total, ctx) ->
                        ctx.userContext(Customer.class).name() + " pays " + total)
                .build();
    }

    // --- README: style (b), the annotated class
    @ErgateWorkflow("checkout")
    static class Checkout {
        @Step(order = 1, paths = {Step.NEXT, "receipt"})
        int price(@Input Order order, @UserContext Customer customer, @Depends PriceList prices) {
            int total = order.quantity() * prices.priceOf(order.sku());
            if (customer.vip()) {
                throw new GoToStep("receipt", total);                  // skip the fraud check
            }
            return total;
        }

        @Step(order = 2, name = "fraud_check")
        int fraudCheck(@Input int total) {
            if (total > 100_000) {
                throw new AbortJob("order too large: " + total);
            }
            return total;
        }

        @Step(order = 3)
        String receipt(@Input int total, @UserContext Customer customer) {
            return customer.name() + " pays " + total;
        }
    }

    @Test
    void bothStylesRunTheSameWayOnAWorker() {
        for (Workflow workflow : new Workflow[] {byBuilder(), Workflow.fromAnnotated(new Checkout())}) {
            TestQueue queue = new TestQueue();
            TestStore store = new TestStore();
            ObjectMapper json = JobRunner.defaultObjectMapper();
            // --- README: running a worker
            Ergate app = Ergate.builder(queue, store)
                    .options(ErgateOptions.builder().concurrency(8).handleSignals(false)
                            .pollTimeout(Duration.ofMillis(50)).build())
                    .dependencies(Dependencies.builder().singleton(PriceList.class, new PriceList()).build())
                    .build();
            app.registerWorkflow(workflow);
            app.start();
            try {
                queue.put(Job.builder().workflowName("checkout").id("vip")
                        .initialInputValue(json.valueToTree(new Order("apple", 2)))
                        .userContext(json.valueToTree(new Customer("Ann", true)))
                        .build());
                queue.put(Job.builder().workflowName("checkout").id("big")
                        .initialInputValue(json.valueToTree(new Order("apple", 500)))
                        .userContext(json.valueToTree(new Customer("Bob", false)))
                        .build());
                await().atMost(Duration.ofSeconds(60)).until(() -> store.count(JobStatus.COMPLETED)
                        + store.count(JobStatus.ABORTED) == 2);
                Job vip = store.find(JobId.of("vip")).orElseThrow();
                assertThat(vip.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(vip.lastReturnValue().textValue()).isEqualTo("Ann pays 1000");
                assertThat(vip.stepsCompleted()).isEqualTo(2);
                Job big = store.find(JobId.of("big")).orElseThrow();
                assertThat(big.status()).isEqualTo(JobStatus.ABORTED);
                assertThat(big.exceptionTraceback()).isEqualTo("order too large: 250000");
                assertThat(big.percentCompleted()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
            } finally {
                app.close();
            }
        }
    }

    @Test
    void submittingAndAwaiting() {
        TestQueue queue = new TestQueue();
        TestStore store = new TestStore();
        Ergate app = Ergate.builder(queue, store)
                .options(ErgateOptions.builder().concurrency(2).handleSignals(false)
                        .pollTimeout(Duration.ofMillis(50)).build())
                .dependencies(Dependencies.builder().singleton(PriceList.class, new PriceList()).build())
                .build();
        app.registerWorkflow(byBuilder());
        app.start();
        try {
            // --- README: submitting and awaiting jobs
            ErgateClient client = ErgateClient.builder(queue).store(store).build();
            JobId later = client.submit("checkout")
                    .input(new Order("apple", 2))                  // any value, converted to JSON
                    .userContext(new Customer("Ann", true))
                    .delay(Duration.ofMinutes(5))                  // or .startAt(instant), not both
                    .submit();                                     // nothing is queued before this
            Job done = client.submit("checkout")
                    .input(new Order("pear", 1))
                    .userContext(new Customer("Bob", false))
                    .submitAndAwait(Duration.ofSeconds(30))        // CompletableFuture<Job>
                    .join();
            client.await(later, Duration.ofMinutes(10))
                    .thenAccept(job -> System.out.println(job.id() + " ended " + job.status()));
            // --- end of README

            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.lastReturnValue().textValue()).isEqualTo("Bob pays 400");
            assertThat(store.find(later).orElseThrow().requestedStartTime()).isAfter(java.time.Instant.now());
            org.assertj.core.api.Assertions.assertThatThrownBy(client.await(later, Duration.ofMillis(200))::join)
                    .cause().isInstanceOf(java.util.concurrent.TimeoutException.class);
        } finally {
            app.close();
        }
    }
}
