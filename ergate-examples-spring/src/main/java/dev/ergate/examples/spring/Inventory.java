package dev.ergate.examples.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Stock per SKU: a plain Spring bean the workflow asks for with {@code @Depends}. Thread-safe. */
@Component
public class Inventory {

    private final Map<String, Integer> reserved = new ConcurrentHashMap<>();

    /**
     * @param sku what is ordered
     * @param quantity how many
     * @return how many of that SKU are reserved now, this order included
     */
    public int reserve(String sku, int quantity) {
        return reserved.merge(sku, quantity, Integer::sum);
    }
}
