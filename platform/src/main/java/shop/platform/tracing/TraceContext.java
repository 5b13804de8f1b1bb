package shop.platform.tracing;

/** The W3C trace context of the current flow, to store beside work that continues later (outbox rows). */
public interface TraceContext {

    /** The current {@code traceparent}, or null outside a traced flow. */
    String currentTraceparent();
}
