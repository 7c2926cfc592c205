package dev.ergate.examples;

/** The values that travel between the order workflow's steps, as JSON. Immutable records. */
final class Orders {

    private Orders() {
    }

    /**
     * An order as submitted: the first step's input.
     *
     * @param orderId the shop's order number
     * @param sku the product
     * @param quantity how many, must be positive
     * @param amountCents the price in cents, before any discount
     * @param digital true for a download, false for a parcel
     * @param cardToken the customer's payment card (a token, never the number)
     */
    record Order(String orderId, String sku, int quantity, long amountCents, boolean digital, String cardToken) {
    }

    /**
     * Who ordered: the job's user context.
     *
     * @param customerId the customer
     * @param tier {@code standard} or {@code gold} (gold pays 10 % less)
     * @param country where a parcel goes
     */
    record Customer(String customerId, String tier, String country) {
    }

    /**
     * Stock set aside for an order.
     *
     * @param order the order
     * @param reservationId the warehouse's reference
     */
    record Reservation(Order order, String reservationId) {
    }

    /**
     * A successful charge.
     *
     * @param reservation what was paid for
     * @param chargedCents what was taken from the card, after any discount
     * @param chargeId the payment provider's reference
     */
    record Receipt(Reservation reservation, long chargedCents, String chargeId) {
    }
}
