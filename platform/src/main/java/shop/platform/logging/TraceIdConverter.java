package shop.platform.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %traceId} in log patterns: the trace id of the current flow, whether Spring's tracing put it in the
 * MDC (HTTP requests: {@code traceId}) or Camel's tracing did (routes, message consumers: {@code trace_id}).
 */
public class TraceIdConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return either(event, "traceId", "trace_id");
    }

    static String either(ILoggingEvent event, String springKey, String camelKey) {
        var mdc = event.getMDCPropertyMap();
        String value = mdc.get(springKey);
        if (value == null || value.isEmpty()) {
            value = mdc.get(camelKey);
        }
        return value == null ? "" : value;
    }
}
