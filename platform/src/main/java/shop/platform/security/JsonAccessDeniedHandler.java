package shop.platform.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * 403 with a JSON body: authenticated, but not allowed here (a viewer operating, a console request another site
 * made the browser send).
 */
class JsonAccessDeniedHandler implements AccessDeniedHandler {

    private final RequestMatcher crossSite;

    JsonAccessDeniedHandler(RequestMatcher crossSite) {
        this.crossSite = crossSite;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        String reason = crossSite.matches(request) ? "CROSS_SITE_REQUEST" : "NOT_ALLOWED";
        response.setStatus(403);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":\"FORBIDDEN\",\"reason\":\"" + reason + "\"}");
    }
}
