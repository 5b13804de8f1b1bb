package shop.platform.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.util.AntPathMatcher;

/** 401 with a JSON body; asks for a Bearer token on customer paths and for Basic credentials elsewhere. */
class JsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final List<String> customerPaths;
    private final AntPathMatcher matcher = new AntPathMatcher();

    JsonAuthenticationEntryPoint(List<String> customerPaths) {
        this.customerPaths = customerPaths;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean customer = customerPaths.stream().anyMatch(p -> matcher.match(p, path));
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", customer ? "Bearer" : "Basic realm=\"shop operators\"");
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":\"UNAUTHORIZED\",\"reason\":\"AUTHENTICATION_REQUIRED\"}");
    }
}
