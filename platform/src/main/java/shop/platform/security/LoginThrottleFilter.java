package shop.platform.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of HTTP Basic on the operator chain: a caller that used up its failed logins gets 429 with
 * {@code Retry-After}, and its password is not checked (no bcrypt for it either).
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5)) {
            long wait = throttle.retryAfterSeconds(request.getRemoteAddr());
            if (wait > 0) {
                throttle.throttled();
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString(wait));
                response.setContentType("application/json");
                response.getWriter().write("{\"status\":\"TOO_MANY_REQUESTS\",\"reason\":\"LOGIN_THROTTLED\",\"retry_after\":" + wait + "}");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
