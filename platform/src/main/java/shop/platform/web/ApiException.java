package shop.platform.web;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** An answer that is not a success: status, JSON body and optional headers, thrown from anywhere in a request. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> body;
    private final HttpHeaders headers;

    public ApiException(HttpStatus status, Map<String, Object> body) {
        this(status, body, new HttpHeaders());
    }

    public ApiException(HttpStatus status, Map<String, Object> body, HttpHeaders headers) {
        super(status + " " + body, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    public static ApiException rejected(HttpStatus status, String reason) {
        return new ApiException(status, Map.of("status", "REJECTED", "reason", reason));
    }

    /** A dependency is failing or the service is saturated: 503 with {@code Retry-After} (CONTRACT.md). */
    public static ApiException unavailable(int retryAfterSeconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                Map.of("status", "SERVICE_UNAVAILABLE", "retry_after", retryAfterSeconds), headers);
    }

    public static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, Map.of("status", "NOT_FOUND"));
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
