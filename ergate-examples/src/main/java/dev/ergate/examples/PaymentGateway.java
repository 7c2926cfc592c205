package dev.ergate.examples;

import dev.ergate.examples.Orders.Receipt;
import dev.ergate.examples.Orders.Reservation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;

/**
 * A pretend card processor: cards whose token starts with {@code tok_declined} are declined; the
 * first attempt for a token starting with {@code tok_slow} times out (a transient failure the
 * workflow retries). Charges are idempotent per order.
 *
 * <p>Thread-safe.
 */
final class PaymentGateway {

    /** The card was refused: the order can't be paid, retrying won't help. */
    static final class CardDeclinedException extends Exception {
        private static final long serialVersionUID = 1L;

        CardDeclinedException(String message) {
            super(message);
        }
    }

    /** The processor did not answer in time: trying again later may work. */
    static final class GatewayTimeoutException extends Exception {
        private static final long serialVersionUID = 1L;

        GatewayTimeoutException(String message) {
            super(message);
        }
    }

    private final Map<String, Receipt> charges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> timedOutOnce = new ConcurrentHashMap<>();

    /**
     * @param reservation what to pay for
     * @param discount turns the full price into what is charged
     * @return the receipt
     * @throws CardDeclinedException if the card is refused
     * @throws GatewayTimeoutException if the processor did not answer (retry later)
     */
    Receipt charge(Reservation reservation, LongUnaryOperator discount)
            throws CardDeclinedException, GatewayTimeoutException {
        String orderId = reservation.order().orderId();
        Receipt done = charges.get(orderId);
        if (done != null) {
            return done;
        }
        String token = reservation.order().cardToken();
        if (token.startsWith("tok_declined")) {
            throw new CardDeclinedException("card " + token + " was declined for order " + orderId);
        }
        if (token.startsWith("tok_slow") && timedOutOnce.putIfAbsent(orderId, Boolean.TRUE) == null) {
            throw new GatewayTimeoutException("payment gateway timed out charging order " + orderId);
        }
        Receipt receipt = new Receipt(reservation, discount.applyAsLong(reservation.order().amountCents()),
                "ch_" + orderId);
        Receipt raced = charges.putIfAbsent(orderId, receipt);
        return raced == null ? receipt : raced;
    }
}
