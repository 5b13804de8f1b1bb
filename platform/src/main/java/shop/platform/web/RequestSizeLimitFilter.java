package shop.platform.web;

import java.io.IOException;
import java.util.Arrays;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies over the limit with 413: at once when {@code Content-Length} says so (the body is never
 * read), and while reading when a chunked body grows past it. The operator console has a limit of its own:
 * hawtio's Jolokia bulk requests (one asks about every operation of every MBean while it loads the JMX tree)
 * outgrow the APIs' limit.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    /** hawtio and its Jolokia endpoint (hawtio forwards {@code /actuator/hawtio/jolokia} to the latter). */
    static final String[] CONSOLE_PATHS = {"/actuator/jolokia", "/actuator/hawtio"};

    private final long limit;
    private final long consoleLimit;

    public RequestSizeLimitFilter(long limit) {
        this(limit, limit);
    }

    public RequestSizeLimitFilter(long limit, long consoleLimit) {
        this.limit = limit;
        this.consoleLimit = consoleLimit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long max = Arrays.stream(CONSOLE_PATHS).anyMatch(path::startsWith) ? consoleLimit : limit;
        if (request.getContentLengthLong() > max) {
            response.setStatus(413);
            response.setContentType("application/json");
            response.setHeader("Connection", "close");
            response.getWriter().write("{\"status\":\"REJECTED\",\"reason\":\"PAYLOAD_TOO_LARGE\"}");
            return;
        }
        chain.doFilter(new Limited(request, max), response);
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++count > limit) {
                            throw new PayloadTooLargeException(limit);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0 && (count += n) > limit) {
                            throw new PayloadTooLargeException(limit);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
