package dev.ergate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.JobStatus;
import dev.ergate.examples.Orders.Customer;
import dev.ergate.examples.Orders.Order;
import dev.ergate.testkit.TestRun;
import dev.ergate.testkit.WorkflowTester;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The demo's workflow, unit-tested with the WorkflowTester: no queue, no threads, no waiting. */
@DisplayName("The order workflow")
class OrderWorkflowTest {

    private final WorkflowTester tester = WorkflowTester.builder()
            .annotated(new OrderWorkflow())
            .dependency(Inventory.class, new Inventory(Map.of("BOOK-1", 5, "EBOOK-3", 100)))
            .dependency(PaymentGateway.class, new PaymentGateway())
            .dependency(Latency.class, new Latency(Duration.ZERO))
            .build();

    private static final Customer STANDARD = new Customer("C-1", "standard", "FR");
    private static final Customer GOLD = new Customer("C-2", "gold", "DE");

    @Test
    @DisplayName("ships a parcel: validate, reserve_stock, charge, ship")
    void parcel() {
        TestRun run = tester.run(OrderWorkflow.NAME, new Order("A-1", "BOOK-1", 2, 5_000, false, "tok_ok"), STANDARD);

        assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(run.stepsRun()).containsExactly("validate", "reserve_stock", "charge", "ship");
        assertThat(run.result(String.class)).isEqualTo("shipped A-1 to FR, tracking TRK-A-1");
        assertThat(run.updates().get(5).lastReturnValue().get("chargedCents").longValue()).isEqualTo(5_000);
    }

    @Test
    @DisplayName("sends a download instead of shipping, and gold customers pay 10 % less")
    void downloadBranch() {
        TestRun run = tester.run(OrderWorkflow.NAME, new Order("A-2", "EBOOK-3", 1, 1_000, true, "tok_ok"), GOLD);

        assertThat(run.stepsRun()).containsExactly("validate", "reserve_stock", "charge", "email_download");
        assertThat(run.result(String.class)).isEqualTo("download link for EBOOK-3 sent for order A-2");
        assertThat(run.updates().get(5).lastReturnValue().get("chargedCents").longValue()).isEqualTo(900);
    }

    @Test
    @DisplayName("retries a charge that timed out, after the policy's delay on the fake clock")
    void retryTimeout() {
        TestRun run = tester.run(OrderWorkflow.NAME, new Order("A-3", "BOOK-1", 1, 100, false, "tok_slow"), STANDARD);

        assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(run.stepsRun()).containsExactly("validate", "reserve_stock", "charge", "charge", "ship");
        assertThat(run.elapsed()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    @DisplayName("fails on a declined card without retrying, and aborts an impossible order")
    void failAndAbort() {
        TestRun declined = tester.run(OrderWorkflow.NAME, new Order("A-4", "BOOK-1", 1, 100, false, "tok_declined"),
                STANDARD);
        TestRun impossible = tester.run(OrderWorkflow.NAME, new Order("A-5", "BOOK-1", 0, 0, false, "tok_ok"),
                STANDARD);
        TestRun soldOut = tester.run(OrderWorkflow.NAME, new Order("A-6", "BOOK-1", 50, 100, false, "tok_ok"),
                STANDARD);

        assertThat(declined.status()).isEqualTo(JobStatus.FAILED);
        assertThat(declined.stepsRun()).containsExactly("validate", "reserve_stock", "charge");
        assertThat(declined.traceback()).hasValueSatisfying(t -> assertThat(t).contains("CardDeclinedException"));
        assertThat(impossible.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(impossible.traceback()).hasValue("invalid order: quantity 0 for BOOK-1");
        assertThat(soldOut.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(soldOut.traceback()).hasValue("out of stock: 50 x BOOK-1");
    }
}
