package dev.ergate.examples.spring;

import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Step;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The order workflow, an ordinary Spring component: the starter registers it with the worker,
 * and its {@code @Depends} parameters are beans of the application. Each step takes {@code
 * sample.step-time} (default 100 ms) so progress can be watched.
 */
@Component
@ErgateWorkflow("orders")
public class OrderWorkflow {

    private static final Logger LOG = LoggerFactory.getLogger(OrderWorkflow.class);

    private final Duration stepTime;

    OrderWorkflow(@Value("${sample.step-time:100ms}") Duration stepTime) {
        this.stepTime = stepTime;
    }

    @Step(order = 1)
    Order validate(@Input Order order) throws InterruptedException {
        work("validate", order);
        if (order.quantity() <= 0) {
            throw new AbortJob("order " + order.id() + " has no items");
        }
        return order;
    }

    @Step(order = 2)
    Order reserve(@Input Order order, @Depends Inventory inventory) throws InterruptedException {
        work("reserve", order);
        inventory.reserve(order.sku(), order.quantity());
        return order;
    }

    @Step(order = 3)
    String charge(@Input Order order, @Depends PaymentGateway payments) throws InterruptedException {
        work("charge", order);
        return payments.charge(order);
    }

    @Step(order = 4)
    String ship(@Input String receipt) throws InterruptedException {
        work("ship", receipt);
        return "shipped against " + receipt;
    }

    private void work(String step, Object input) throws InterruptedException {
        LOG.info("step {} started: {}", step, input);
        Thread.sleep(stepTime.toMillis()); // stands in for the step's real work
        LOG.info("step {} finished", step);
    }
}
