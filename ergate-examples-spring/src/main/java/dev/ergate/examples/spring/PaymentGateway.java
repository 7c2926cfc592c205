package dev.ergate.examples.spring;

import org.springframework.stereotype.Component;

/** A stand-in payment provider, another Spring bean the workflow depends on. Thread-safe. */
@Component
public class PaymentGateway {

    /**
     * @param order the order to charge
     * @return a receipt id; the same for the same order, so a repeated step charges nothing twice
     */
    public String charge(Order order) {
        return "receipt-" + order.id();
    }
}
