package dev.ergate.examples;

import dev.ergate.examples.Orders.Customer;
import dev.ergate.examples.Orders.Order;
import dev.ergate.examples.Orders.Receipt;
import dev.ergate.examples.Orders.Reservation;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.GoToEnd;
import dev.ergate.runtime.GoToStep;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Retry;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;

/**
 * Order processing, the demo's workflow: {@code validate}, {@code reserve_stock}, {@code charge}
 * (declined: fails; gateway timeout: retried; then a parcel goes on to {@code ship}, a download
 * jumps to {@code email_download}). Services are dependencies, the customer is the user context
 * (the module README tells the whole story). Stateless and thread-safe.
 */
@ErgateWorkflow(OrderWorkflow.NAME)
public final class OrderWorkflow {

    /** The workflow's name, the jobs' {@code workflow_name}. */
    public static final String NAME = "order_processing";

    @Step(order = 1)
    Order validate(@Input Order order, @Depends Inventory inventory, @Depends Latency latency)
            throws InterruptedException {
        latency.pause();
        if (order.quantity() <= 0) {
            throw new AbortJob("invalid order: quantity " + order.quantity() + " for " + order.sku());
        }
        if (!inventory.knows(order.sku())) {
            throw new AbortJob("invalid order: unknown product " + order.sku());
        }
        return order;
    }

    @Step(order = 2, name = "reserve_stock")
    Reservation reserveStock(@Input Order order, @Depends Inventory inventory, @Depends Latency latency)
            throws InterruptedException {
        latency.pause();
        return inventory.reserve(order).orElseThrow(() ->
                new AbortJob("out of stock: " + order.quantity() + " x " + order.sku()));
    }

    @Step(order = 3, paths = {Step.NEXT, "email_download"})
    @Retry(maxAttempts = 3, initialDelay = "PT0.05S", jitter = 0, on = PaymentGateway.GatewayTimeoutException.class)
    Object charge(@Input Reservation reservation, @UserContext Customer customer, @Depends PaymentGateway gateway,
            @Depends Latency latency) throws Exception {
        latency.pause();
        boolean gold = "gold".equals(customer.tier());
        Receipt receipt = gateway.charge(reservation, cents -> gold ? cents * 9 / 10 : cents);
        return reservation.order().digital() ? GoToStep.of("email_download", receipt) : receipt;
    }

    @Step(order = 4, paths = Step.END)
    GoToEnd ship(@Input Receipt receipt, @UserContext Customer customer, @Depends Latency latency)
            throws InterruptedException {
        latency.pause();
        return GoToEnd.of("shipped " + receipt.reservation().order().orderId() + " to " + customer.country()
                + ", tracking TRK-" + receipt.chargeId().substring(3));
    }

    @Step(order = 5, name = "email_download")
    String emailDownload(@Input Receipt receipt, @Depends Latency latency) throws InterruptedException {
        latency.pause();
        return "download link for " + receipt.reservation().order().sku() + " sent for order "
                + receipt.reservation().order().orderId();
    }
}
