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
            return null;
        }
        var context = span.context();
        return "00-" + context.traceId() + "-" + context.spanId() + "-" + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
    }
}
