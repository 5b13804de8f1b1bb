package shop.inventory.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import shop.platform.web.ApiExceptionHandler;
import shop.platform.web.FieldError;

/**
 * When a handler validates a path variable and a {@code @Valid} body together, Spring reports both in one
 * {@link HandlerMethodValidationException}. This names each body error by its field ({@code priceCents}), where
 * the platform's handler would name it by the parameter ({@code request}). Same 400 body as the platform's.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class MethodValidationErrors {

    @ExceptionHandler(HandlerMethodValidationException.class)
    public ResponseEntity<Map<String, Object>> invalid(HandlerMethodValidationException e) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            if (result instanceof ParameterErrors body) {
                body.getFieldErrors().forEach(f -> errors.add(new FieldError(f.getField(), f.getDefaultMessage())));
                body.getGlobalErrors().forEach(g -> errors.add(new FieldError("body", g.getDefaultMessage())));
            } else {
                String name = result.getMethodParameter().getParameterName();
                result.getResolvableErrors().forEach(err -> errors.add(new FieldError(name == null ? "request" : name,
                        err.getDefaultMessage())));
            }
        }
        return ApiExceptionHandler.validationFailed(errors);
    }
}
