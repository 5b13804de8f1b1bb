package shop.platform.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/** The current span of Micrometer Tracing as a W3C {@code traceparent}. */
public class MicrometerTraceContext implements TraceContext {

    private final Tracer tracer;

    public MicrometerTraceContext(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public String currentTraceparent() {
        Span span = tracer.currentSpan();
        if (span == null) {
            // inside a Camel route, Camel's tracing keeps the ids in the MDC
            String traceId = org.slf4j.MDC.get("trace_id");
            String spanId = org.slf4j.MDC.get("span_id");
            return traceId == null || spanId == null ? null : "00-" + traceId + "-" + spanId + "-01";
        }
        var context = span.context();
        return "00-" + context.traceId() + "-" + context.spanId() + "-" + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
    }
}
