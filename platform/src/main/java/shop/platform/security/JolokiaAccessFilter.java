package shop.platform.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * hawtio has no roles of its own, so the read-only viewer is enforced here, on Jolokia: a viewer may read
 * attributes, list and search MBeans and call operations that only read ({@code dump*}, {@code get*},
 * {@code is*}, {@code list*}, {@code browse*}, ...); writing attributes and every other operation
 * (stop, start, suspend, remove, update, send, reset, ...) need an operator.
 * <p>
 * Jolokia answers GET too ({@code /exec/...} included, as the runbooks use it), and a browser that holds an
 * operator's Basic credentials sends them along with a request another site makes it send (a link, a form);
 * CSRF tokens guard only POSTs. So no Jolokia request that the browser marks as coming from another site
 * ({@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}, the latter for a typed address) is
 * served; programs send no such header and are not affected.
 */
class JolokiaAccessFilter extends OncePerRequestFilter {

    static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    static final Set<String> READ_TYPES = Set.of("read", "list", "search", "version", "notification");
    static final List<String> READ_OPERATION_PREFIXES = List.of("dump", "get", "is", "list", "browse", "can", "count",
            "explain", "find", "has", "query", "extended", "statistics", "sample");

    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/actuator/jolokia");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !OWN_SITE.contains(site.toLowerCase())) {
            refuse(response, "CROSS_SITE_REQUEST");
            return;
        }
        if (isOperator()) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest toPass = request;
        boolean allowed;
        if ("POST".equals(request.getMethod())) {
            byte[] body = request.getInputStream().readAllBytes();
            allowed = readOnly(body);
            toPass = new Replayed(request, body);
        } else {
            String path = request.getRequestURI().substring((request.getContextPath() + "/actuator/jolokia").length());
            String[] parts = path.replaceFirst("^/", "").split("/");
            allowed = parts.length == 0 || parts[0].isEmpty() || READ_TYPES.contains(parts[0])
                    || ("exec".equals(parts[0]) && parts.length > 2 && readOperation(parts[2]));
        }
        if (!allowed) {
            refuse(response, "READ_ONLY_ROLE");
            return;
        }
        chain.doFilter(toPass, response);
    }

    private static void refuse(HttpServletResponse response, String reason) throws IOException {
        response.setStatus(403);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":\"FORBIDDEN\",\"reason\":\"" + reason + "\"}");
    }

    private boolean readOnly(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            List<JsonNode> requests = new ArrayList<>();
            if (root != null && root.isArray()) {
                root.forEach(requests::add);
            } else if (root != null) {
                requests.add(root);
            }
            for (JsonNode r : requests) {
                String type = r.path("type").asText("").toLowerCase();
                if (READ_TYPES.contains(type)) {
                    continue;
                }
                if (!"exec".equals(type) || !readOperation(r.path("operation").asText(""))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean readOperation(String operation) {
        String name = operation.contains("(") ? operation.substring(0, operation.indexOf('(')) : operation;
        return READ_OPERATION_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static boolean isOperator() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getAuthorities().stream()
                .anyMatch(a -> ("ROLE_" + SecurityConfiguration.OPERATOR).equals(a.getAuthority()));
    }

    private static final class Replayed extends HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
