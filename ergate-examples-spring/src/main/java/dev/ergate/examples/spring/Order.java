package dev.ergate.examples.spring;

/**
 * An order as the client posts it and the workflow's steps pass it on.
 *
 * @param id the caller's order number
 * @param sku what is ordered
 * @param quantity how many
 */
public record Order(String id, String sku, int quantity) {
}
