package dev.ergate.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.examples.Orders.Customer;
import dev.ergate.examples.Orders.Order;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes a repeatable batch of orders with a realistic mix: mostly good ones, some impossible
 * (quantity 0, unknown product), some for products that run out, some with a declined card, some
 * whose first charge times out, a quarter from gold customers, a third digital.
 *
 * <p>Not thread-safe; use one per batch.
 */
final class OrderGenerator {

    private record Product(String sku, long priceCents, boolean digital) {
    }

    private static final List<Product> PRODUCTS = List.of(
            new Product("BOOK-1", 2_499, false),
            new Product("MUG-2", 1_299, false),
            new Product("LAMP-5", 7_900, false),
            new Product("EBOOK-3", 999, true),
            new Product("COURSE-4", 14_900, true));
    private static final List<String> COUNTRIES = List.of("FR", "DE", "NL", "ES", "IT", "PT", "BE");

    private final SplittableRandom random;
    private final ObjectMapper mapper;
    private final int jobs;

    /**
     * @param seed makes the batch repeatable
     * @param jobs how many orders the batch has (sizes the stock so some products run out)
     * @param mapper writes orders and customers as JSON
     */
    OrderGenerator(long seed, int jobs, ObjectMapper mapper) {
        this.random = new SplittableRandom(seed);
        this.mapper = mapper;
        this.jobs = jobs;
    }

    /** {@return the warehouse for this batch: plenty of most things, too few lamps} */
    Inventory inventory() {
        Map<String, Integer> stock = new LinkedHashMap<>();
        stock.put("BOOK-1", jobs * 3);
        stock.put("MUG-2", jobs * 3);
        stock.put("LAMP-5", Math.max(1, jobs / 8));
        stock.put("EBOOK-3", Integer.MAX_VALUE);
        stock.put("COURSE-4", Integer.MAX_VALUE);
        return new Inventory(stock);
    }

    /**
     * @param number the order's number in the batch, from 1
     * @return the job for the next order
     */
    Job next(int number) {
        Product product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
        String orderId = "A-" + (10_000 + number);
        String sku = product.sku();
        int quantity = product.digital() ? 1 : 1 + random.nextInt(3);
        int roll = random.nextInt(100);
        if (roll < 3) {
            quantity = 0;
        } else if (roll < 5) {
            sku = "GHOST-9";
        }
        int cardRoll = random.nextInt(100);
        String card = cardRoll < 5 ? "tok_declined_" + number : cardRoll < 15 ? "tok_slow_" + number : "tok_ok_" + number;
        Order order = new Order(orderId, sku, quantity, product.priceCents() * Math.max(1, quantity),
                product.digital(), card);
        Customer customer = new Customer("C-" + (1 + random.nextInt(5_000)),
                random.nextInt(4) == 0 ? "gold" : "standard", COUNTRIES.get(random.nextInt(COUNTRIES.size())));
        return Job.builder()
                .id(JobId.of(orderId))
                .workflowName(OrderWorkflow.NAME)
                .initialInputValue(mapper.valueToTree(order))
                .userContext(mapper.valueToTree(customer))
                .build();
    }
}
