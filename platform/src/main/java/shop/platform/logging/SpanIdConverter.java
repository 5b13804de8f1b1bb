package shop.platform.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %spanId}: the span id of the current flow, from Spring's or Camel's tracing (see {@link TraceIdConverter}). */
public class SpanIdConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return TraceIdConverter.either(event, "spanId", "span_id");
    }
}
