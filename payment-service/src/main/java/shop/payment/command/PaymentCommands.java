package shop.payment.command;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import shop.payment.config.PaymentProperties;

/**
 * Reads and validates command bodies (docs/messaging.md, payment). Unknown fields - the envelope's
 * {@code messageId}, {@code type}, ... or fields a newer producer adds - are ignored; a missing or malformed
 * field is an {@link InvalidCommandException} naming every bad field.
 */
@Component
public class PaymentCommands {

    static final int MAX_PAYMENT_METHOD = 100;
    static final int MAX_USER_ID = 255;
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final long maxAmount;

    @Autowired
    public PaymentCommands(PaymentProperties props) {
        this(props.maxAmount());
    }

    PaymentCommands(long maxAmount) {
        this.maxAmount = maxAmount;
    }

    public ChargeCommand charge(Map<String, Object> body) {
        Map<String, Object> b = object(body);
        List<String> errors = new ArrayList<>();
        UUID orderId = uuid(b, "orderId", errors);
        String userId = text(b, "userId", MAX_USER_ID, errors);
        Long amount = amount(b, errors);
        String currency = null;
        Object c = b.get("currency");
        if (!(c instanceof String s) || !CURRENCY.matcher(s).matches()) {
            errors.add("currency: must be a 3-letter ISO 4217 code");
        } else {
            currency = s.toUpperCase(Locale.ROOT);
        }
        String paymentMethod = text(b, "paymentMethod", MAX_PAYMENT_METHOD, errors);
        fail(errors);
        return new ChargeCommand(orderId, userId, amount, currency, paymentMethod);
    }

    /** The {@code orderId} of a refund or status command. */
    public UUID orderId(Map<String, Object> body) {
        List<String> errors = new ArrayList<>();
        UUID orderId = uuid(object(body), "orderId", errors);
        fail(errors);
        return orderId;
    }

    private Long amount(Map<String, Object> b, List<String> errors) {
        Object a = b.get("amount");
        long value;
        if (a instanceof Integer || a instanceof Long || a instanceof Short) {
            value = ((Number) a).longValue();
        } else if (a instanceof BigInteger big && big.bitLength() < 64) {
            value = big.longValue();
        } else {
            errors.add(a == null ? "amount: is required" : "amount: must be an integer number of cents");
            return null;
        }
        if (value <= 0 || value > maxAmount) {
            errors.add("amount: must be between 1 and " + maxAmount);
            return null;
        }
        return value;
    }

    private static Map<String, Object> object(Map<String, Object> body) {
        if (body == null) {
            throw new InvalidCommandException("command body must be a JSON object");
        }
        return body;
    }

    private static UUID uuid(Map<String, Object> b, String field, List<String> errors) {
        Object v = b.get(field);
        if (v instanceof String s && UUID_TEXT.matcher(s).matches()) {
            return UUID.fromString(s);
        }
        errors.add(field + ": " + (v == null ? "is required" : "must be a UUID"));
        return null;
    }

    private static String text(Map<String, Object> b, String field, int max, List<String> errors) {
        Object v = b.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            errors.add(field + ": is required");
            return null;
        }
        if (s.length() > max) {
            errors.add(field + ": must be at most " + max + " characters");
            return null;
        }
        return s;
    }

    private static void fail(List<String> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidCommandException("invalid command: " + String.join("; ", errors));
        }
    }
}
