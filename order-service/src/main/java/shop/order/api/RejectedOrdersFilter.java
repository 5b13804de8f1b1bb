package shop.order.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import shop.order.saga.OrderMetrics;

/**
 * Counts {@code POST /orders} requests refused before any order existed - malformed or invalid (400), too
 * large (413), wrong content type (415) - as {@code shop_orders_total{outcome="rejected"}}. It wraps every
 * other filter, the body size limit included. A reused idempotency key is counted where it is detected.
 */
@Configuration(proxyBeanMethods = false)
public class RejectedOrdersFilter {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> rejectedOrders(OrderMetrics metrics) {
        FilterRegistrationBean<OncePerRequestFilter> bean = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                chain.doFilter(request, response);
                int status = response.getStatus();
                if (status == 400 || status == 413 || status == 415) {
                    metrics.rejected();
                }
            }

            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !("POST".equals(request.getMethod()) && "/orders".equals(request.getRequestURI()));
            }
        });
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }
}
