package dev.ergate.examples;

import dev.ergate.examples.Orders.Order;
import dev.ergate.examples.Orders.Reservation;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warehouse: stock per product, and reservations per order. A reservation is idempotent per
 * order, because Ergate delivers at least once and a step may run twice after a crash.
 *
 * <p>Thread-safe.
 */
final class Inventory {

    private final Map<String, Integer> stock = new ConcurrentHashMap<>();
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();

    /**
     * @param stock units per product
     */
    Inventory(Map<String, Integer> stock) {
        this.stock.putAll(stock);
    }

    /** {@return true when the shop sells this product} */
    boolean knows(String sku) {
        return stock.containsKey(sku);
    }

    /**
     * Sets stock aside for an order, once.
     *
     * @param order the order
     * @return the reservation, or empty when there is not enough stock
     */
    Optional<Reservation> reserve(Order order) {
        Reservation existing = reservations.get(order.orderId());
        if (existing != null) {
            return Optional.of(existing);
        }
        boolean[] taken = {false};
        stock.computeIfPresent(order.sku(), (sku, units) -> {
            if (units >= order.quantity()) {
                taken[0] = true;
                return units - order.quantity();
            }
            return units;
        });
        if (!taken[0]) {
            return Optional.empty();
        }
        Reservation reservation = new Reservation(order, "R-" + order.orderId());
        Reservation raced = reservations.putIfAbsent(order.orderId(), reservation);
        return Optional.of(raced == null ? reservation : raced);
    }
}
