package shop.platform.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.MDC;

/** The current span of Micrometer Tracing as a W3C {@code traceparent}. */
public class MicrometerTraceContext implements TraceContext {

    private final Tracer tracer;

    public MicrometerTraceContext(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public String currentTraceparent() {
        // inside a Camel route, Camel's tracing keeps the ids of the route's current span in the MDC; the
        // tracer's own notion of the current span is not set on Camel's threads
        String traceId = MDC.get("trace_id");
        String spanId = MDC.get("span_id");
        if (traceId != null && spanId != null) {
            return "00-" + traceId + "-" + spanId + "-01";
        }
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        var context = span.context();
        return "00-" + context.traceId() + "-" + context.spanId() + "-" + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
    }
}
