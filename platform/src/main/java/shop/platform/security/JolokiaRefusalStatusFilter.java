package shop.platform.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Jolokia answers every request with HTTP 200 and puts its own status into the JSON, 403 where
 * {@link JolokiaRoleRestrictor} refused. CONTRACT.md answers a viewer doing what it may not with HTTP 403, so when
 * every answer in the body is Jolokia's 403 (one request, or a bulk whose every request was refused) the response
 * becomes HTTP 403 with the contract's body. A bulk that is partly served stays 200 with Jolokia's per-request
 * statuses. This filter decides nothing: the restrictor did.
 */
class JolokiaRefusalStatusFilter extends OncePerRequestFilter {

    static final byte[] REFUSED_BODY = "{\"status\":\"FORBIDDEN\",\"reason\":\"NOT_ALLOWED\"}".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, wrapper);
        if (wrapper.getStatus() == 200 && allRefused(wrapper.getContentAsByteArray())) {
            wrapper.resetBuffer();
            response.setStatus(403);
            response.setContentType("application/json");
            // Jolokia wrote through the output stream, so the writer is no longer to be had
            response.setContentLength(REFUSED_BODY.length);
            response.getOutputStream().write(REFUSED_BODY);
            return;
        }
        wrapper.copyBodyToResponse();
    }

    private boolean allRefused(byte[] body) {
        if (body.length == 0 || body.length > 64 * 1024) {
            return false;
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null) {
                return false;
            }
            if (root.isObject()) {
                return refused(root);
            }
            if (!root.isArray() || root.isEmpty()) {
                return false;
            }
            for (JsonNode answer : root) {
                if (!refused(answer)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean refused(JsonNode answer) {
        return answer.path("status").asInt() == 403;
    }
}
