package shop.shipping.carrier;

/**
 * The carrier could not answer now (5xx, timeout, connection refused, a garbled answer): worth a retry.
 * Deliberately never carries a cause from the JSON or argument family, which the dead-letter policy treats
 * as permanent.
 */
public class CarrierUnavailableException extends RuntimeException {

    public CarrierUnavailableException(String message) {
        super(message);
    }

    public CarrierUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
