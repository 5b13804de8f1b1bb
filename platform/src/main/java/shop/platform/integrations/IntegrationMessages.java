package shop.platform.integrations;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bean {@code integrationMessages}: shaping an event into the message a partner gets, from YAML, without
 * string-built JSON. {@code select} keeps named fields (optionally renamed), {@code with} adds one; the
 * result is marshalled to JSON by the HTTP templates.
 *
 * <pre>
 * - setBody:
 *     method:
 *       ref: integrationMessages
 *       method: "select(${body}, 'orderId,userId,totalAmount,currency')"
 * </pre>
 */
public class IntegrationMessages {

    /**
     * The named fields of a message, in the order given; {@code name=field} renames; a field the message lacks is
     * left out.
     */
    public Map<String, Object> select(Map<String, Object> message, String fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (message == null || fields == null) {
            return out;
        }
        for (String spec : fields.split(",")) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            String name = eq > 0 ? s.substring(0, eq).trim() : s;
            String field = eq > 0 ? s.substring(eq + 1).trim() : s;
            if (message.containsKey(field)) {
                out.put(name, message.get(field));
            }
        }
        return out;
    }

    /** The message with one more field (a copy: the original is left as it was). */
    public Map<String, Object> with(Map<String, Object> message, String name, Object value) {
        Map<String, Object> out = message == null ? new LinkedHashMap<>() : new LinkedHashMap<>(message);
        out.put(name, value);
        return out;
    }
}
