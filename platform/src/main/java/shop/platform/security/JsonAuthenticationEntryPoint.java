package shop.platform.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 with a JSON body and the chain's challenge ({@code Bearer} on customer paths, {@code Basic} on operator
 * paths). On the operator chain a refused credential (not a missing one) counts against the caller's
 * {@link LoginThrottle}.
 */
class JsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final String challenge;
    private final LoginThrottle throttle;

    JsonAuthenticationEntryPoint(String challenge, LoginThrottle throttle) {
        this.challenge = challenge;
        this.throttle = throttle;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        if (throttle != null && !(e instanceof InsufficientAuthenticationException)) {
            throttle.failed(request.getRemoteAddr());
        }
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", challenge);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":\"UNAUTHORIZED\",\"reason\":\"AUTHENTICATION_REQUIRED\"}");
    }
}
