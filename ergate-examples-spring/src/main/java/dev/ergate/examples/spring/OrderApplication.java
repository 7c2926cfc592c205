package dev.ergate.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot sample: {@code POST /orders} submits an order as an Ergate job, {@code GET
 * /orders/{id}} shows how far it got, and the worker in the same application runs it. The
 * backend comes from the profile: none (in memory), {@code redis} or {@code postgres}.
 */
@SpringBootApplication
public class OrderApplication {

    /** @param args Spring Boot's arguments, such as {@code --spring.profiles.active=redis} */
    public static void main(String[] args) {
        SpringApplication.run(OrderApplication.class, args);
    }
}
