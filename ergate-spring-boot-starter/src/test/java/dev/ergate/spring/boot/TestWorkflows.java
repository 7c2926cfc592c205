package dev.ergate.spring.boot;

import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Step;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The workflows and plain beans the auto-configuration tests run. */
@Configuration(proxyBeanMethods = false)
class TestWorkflows {

    record Order(String id, int quantity) {
    }

    /** A plain Spring bean that steps ask for. */
    static class Pricing {
        int price(Order order) {
            return order.quantity() * 10;
        }
    }

    /** Another plain bean, asked for at run time by a builder step. */
    static class Greeter {
        String greet(String name) {
            return "hello " + name;
        }
    }

    /** Fails the first call of each job id, to see the default retry policy at work. */
    static class Flaky {
        final AtomicInteger calls = new AtomicInteger();

        String call(String value) {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first call fails");
            }
            return value;
        }
    }

    @ErgateWorkflow("priced")
    static class PricedWorkflow {
        @Step(order = 1)
        int price(@Input Order order, @Depends Pricing pricing) {
            return pricing.price(order);
        }

        @Step(order = 2)
        String receipt(@Input int total) {
            return "total " + total;
        }
    }

    @Bean
    Pricing pricing() {
        return new Pricing();
    }

    @Bean
    Greeter greeter() {
        return new Greeter();
    }

    @Bean
    Flaky flaky() {
        return new Flaky();
    }

    @Bean
    PricedWorkflow pricedWorkflow() {
        return new PricedWorkflow();
    }

    @Bean
    Workflow greetWorkflow() {
        return Workflow.builder("greet")
                .step("greet", String.class, (name, ctx) -> ctx.dependency(Greeter.class).greet(name))
                .build();
    }

    @Bean
    Workflow flakyWorkflow() {
        return Workflow.builder("flaky")
                .step("call", String.class, (value, ctx) -> ctx.dependency(Flaky.class).call(value))
                .build();
    }
}
