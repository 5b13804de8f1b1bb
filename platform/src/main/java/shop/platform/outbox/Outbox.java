package shop.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.Message;
import shop.platform.tracing.TraceContext;

/**
 * Writes an event into the outbox table inside the caller's transaction; the relay route
 * ({@code routes/platform/outbox-relay.yaml}) publishes it after commit with publisher confirms.
 */
public class Outbox {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TraceContext trace;

    public Outbox(JdbcTemplate jdbc, ObjectMapper json, TraceContext trace) {
        this.jdbc = jdbc;
        this.json = json;
        this.trace = trace;
    }

    /** Adds the event; must run inside the transaction that changes the state it reports. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String add(Message event) {
        try {
            jdbc.update("INSERT INTO outbox (message_id, type, payload, traceparent) VALUES (?::uuid, ?, ?::jsonb, ?)",
                    event.messageId(), event.type(), json.writeValueAsString(event), trace.currentTraceparent());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.type() + " is not serialisable", e);
        }
        return event.messageId();
    }
}
