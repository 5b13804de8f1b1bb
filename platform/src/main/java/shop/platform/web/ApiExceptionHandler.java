package shop.platform.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of every service's HTTP API as the contract's JSON: 400 {@code VALIDATION_FAILED} naming
 * the field, 413, 415, 404, 405; never a stack trace, never a request credential.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<Map<String, Object>> api(ApiException e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).body(e.body());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    public ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException e) {
        List<FieldError> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(new FieldError(f.getField(), f.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new FieldError(g.getObjectName(), g.getDefaultMessage())));
        return validationFailed(errors);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<Map<String, Object>> invalid(ConstraintViolationException e) {
        List<FieldError> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage())));
        return validationFailed(errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    public ResponseEntity<Map<String, Object>> invalid(HandlerMethodValidationException e) {
        List<FieldError> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(r -> {
            if (r instanceof ParameterErrors body) {
                // a @Valid body: its fields by name
                body.getFieldErrors().forEach(f -> errors.add(new FieldError(f.getField(), f.getDefaultMessage())));
                body.getGlobalErrors().forEach(g -> errors.add(new FieldError(parameterName(r.getMethodParameter()), g.getDefaultMessage())));
            } else {
                r.getResolvableErrors().forEach(err -> errors.add(
                        new FieldError(parameterName(r.getMethodParameter()), err.getDefaultMessage())));
            }
        });
        return validationFailed(errors);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    public ResponseEntity<Map<String, Object>> missingHeader(MissingRequestHeaderException e) {
        return validationFailed(List.of(new FieldError(e.getHeaderName(), "is required")));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException e) {
        return validationFailed(List.of(new FieldError(e.getParameterName(), "is required")));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<Map<String, Object>> mismatch(MethodArgumentTypeMismatchException e) {
        return validationFailed(List.of(new FieldError(e.getName(), "has the wrong format")));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return rejected(HttpStatus.PAYLOAD_TOO_LARGE);
            }
        }
        Throwable cause = e.getCause();
        FieldError error;
        if (cause instanceof UnrecognizedPropertyException u) {
            error = new FieldError(path(u), "is not a known field");
        } else if (cause instanceof InvalidFormatException f) {
            error = new FieldError(path(f), "has the wrong type or format");
        } else if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            error = new FieldError(path(m), "has the wrong type");
        } else if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            error = new FieldError(path(m), "is invalid");
        } else if (cause instanceof JsonParseException) {
            error = new FieldError("body", "is not well-formed JSON");
        } else {
            error = new FieldError("body", "is missing or not a JSON object of the expected shape");
        }
        return validationFailed(List.of(error));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    public ResponseEntity<Map<String, Object>> payloadTooLarge(PayloadTooLargeException e) {
        return rejected(HttpStatus.PAYLOAD_TOO_LARGE);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return rejected(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE).build();
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return rejected(HttpStatus.METHOD_NOT_ALLOWED);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("status", "NOT_FOUND"));
    }

    /** The service's own database is unreachable or exhausted: a dependency is failing, the client may retry. */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    public ResponseEntity<Map<String, Object>> databaseUnavailable(Exception e) {
        log.warn("database unavailable: {}", e.getMessage());
        return api(ApiException.unavailable(5));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("unexpected error answering a request", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Map.of("status", "ERROR"));
    }

    public static ResponseEntity<Map<String, Object>> validationFailed(List<FieldError> errors) {
        List<FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(FieldError::field));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "REJECTED");
        body.put("reason", "VALIDATION_FAILED");
        body.put("errors", sorted);
        return ResponseEntity.badRequest().body(body);
    }

    /** {@code REJECTED} with the status's name as the reason: {@code PAYLOAD_TOO_LARGE}, {@code METHOD_NOT_ALLOWED}, ... */
    static ResponseEntity<Map<String, Object>> rejected(HttpStatus status) {
        return ResponseEntity.status(status).body(Map.of("status", "REJECTED", "reason", status.name()));
    }

    /** Jackson's path as the contract names fields: {@code items[0].quantity}. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String lastNode(String path) {
        int dot = path.indexOf('.');
        return dot >= 0 ? path.substring(dot + 1) : path;
    }

    private static String parameterName(MethodParameter p) {
        var header = p.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        var param = p.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        return p.getParameterName() == null ? "request" : p.getParameterName();
    }
}
