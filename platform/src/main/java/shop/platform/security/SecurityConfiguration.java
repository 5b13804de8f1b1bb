package shop.platform.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.core.convert.converter.Converter;

/**
 * One security model for every service, as three filter chains, each taking one kind of credential:
 * <ol>
 *   <li>public paths (probes, the OpenAPI document and its UI, the error page): no credential is looked at;</li>
 *   <li>customer paths ({@code shop.security.customer-paths}): only a Bearer JWT - HS256 pinned, {@code exp}
 *       required and enforced with bounded skew, {@code sub} required. A Basic header there is no credential: 401,
 *       and no password is hashed for it;</li>
 *   <li>every other path: operators and viewers by HTTP Basic, failed logins throttled per caller
 *       ({@link LoginThrottle}); Prometheus and the console for viewers too, everything else for operators.
 *       What a viewer or operator may do through Jolokia is {@link JolokiaRoleRestrictor}'s decision.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String CUSTOMER = "CUSTOMER";
    public static final String OPERATOR = "OPERATOR";
    public static final String VIEWER = "VIEWER";

    /** Open to anyone (CONTRACT.md): the probes and the OpenAPI document; Swagger UI is for operators. */
    static final String[] PUBLIC_PATHS = {"/health", "/ready", "/error", "/v3/api-docs", "/v3/api-docs/**"};
    static final String BASIC_CHALLENGE = "Basic realm=\"shop operators\"";

    /** A console request that the browser marks as made by another site (a link, a form): never served. */
    static final RequestMatcher CROSS_SITE_CONSOLE = request -> {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String site = request.getHeader("Sec-Fetch-Site");
        return (path.startsWith("/actuator/jolokia") || path.startsWith("/actuator/hawtio"))
                && site != null && !Set.of("same-origin", "none").contains(site.toLowerCase(Locale.ROOT));
    };

    @Bean
    @Order(1)
    SecurityFilterChain publicPaths(HttpSecurity http) throws Exception {
        http.securityMatcher(PUBLIC_PATHS)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain customerPaths(HttpSecurity http, SecurityProperties props, JwtDecoder jwtDecoder) throws Exception {
        JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint("Bearer", null);
        JsonAccessDeniedHandler denied = new JsonAccessDeniedHandler(CROSS_SITE_CONSOLE);
        if (props.customerPaths().isEmpty()) {
            http.securityMatcher(request -> false);
        } else {
            http.securityMatcher(props.customerPaths().toArray(String[]::new));
        }
        http.authorizeHttpRequests(auth -> auth.anyRequest().hasRole(CUSTOMER))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.decoder(jwtDecoder).jwtAuthenticationConverter(customerConverter()))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(denied))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain operatorPaths(HttpSecurity http, LoginThrottle throttle, List<OperatorReadPaths> viewerReadable) throws Exception {
        JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint(BASIC_CHALLENGE, throttle);
        JsonAccessDeniedHandler denied = new JsonAccessDeniedHandler(CROSS_SITE_CONSOLE);
        // CSRF tokens for the browser console only (hawtio sends them back from the XSRF-TOKEN cookie); the
        // APIs are called by programs with explicit credentials.
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null);
        http.csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfHandler)
                        // Without sessions every Basic-authenticated request counts as a new login, and the default
                        // strategy would replace the token on each one: the console's concurrent Jolokia POSTs
                        // then carry a token that an earlier response already replaced, fail with 403, and hawtio
                        // logs the user out in a loop. The token stays bound to its cookie (double submit): a
                        // cross-site page can neither read the cookie nor send the X-XSRF-TOKEN header.
                        .sessionAuthenticationStrategy(new NullAuthenticatedSessionStrategy())
                        .requireCsrfProtectionMatcher(request -> !"GET".equals(request.getMethod())
                                && !"HEAD".equals(request.getMethod()) && !"OPTIONS".equals(request.getMethod())
                                && (request.getRequestURI().startsWith(request.getContextPath() + "/actuator/hawtio")
                                    || request.getRequestURI().startsWith(request.getContextPath() + "/actuator/jolokia"))))
                .addFilterBefore(new LoginThrottleFilter(throttle), BasicAuthenticationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives("frame-ancestors 'self'"))
                        .frameOptions(f -> f.sameOrigin()))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers(CROSS_SITE_CONSOLE).denyAll();
                    // hawtio's proxy (disabled by hawtio.disableProxy as well) would call other hosts and ports
                    auth.requestMatchers("/actuator/hawtio/proxy", "/actuator/hawtio/proxy/**").denyAll();
                    // metrics, and which build is running (version, commit, time): read-only, like the metrics
                    auth.requestMatchers(HttpMethod.GET, "/actuator/prometheus", "/actuator/info").hasAnyRole(OPERATOR, VIEWER);
                    // the console: viewers look, JolokiaRoleRestrictor keeps them from operating
                    auth.requestMatchers("/actuator/hawtio", "/actuator/hawtio/**", "/actuator/jolokia", "/actuator/jolokia/**")
                            .hasAnyRole(OPERATOR, VIEWER);
                    for (OperatorReadPaths paths : viewerReadable) {
                        auth.requestMatchers(HttpMethod.GET, paths.patterns().toArray(String[]::new)).hasAnyRole(OPERATOR, VIEWER);
                    }
                    auth.anyRequest().hasRole(OPERATOR);
                })
                .httpBasic(b -> b.authenticationEntryPoint(entryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied));
        return http.build();
    }

    /** Jolokia's servlet takes the restrictor from the application context (restrictorClass names it as well). */
    @Bean
    JolokiaRoleRestrictor jolokiaRoleRestrictor() {
        return new JolokiaRoleRestrictor();
    }

    @Bean
    FilterRegistrationBean<JolokiaRefusalStatusFilter> jolokiaRefusalStatus() {
        FilterRegistrationBean<JolokiaRefusalStatusFilter> bean = new FilterRegistrationBean<>(new JolokiaRefusalStatusFilter());
        bean.addUrlPatterns("/actuator/jolokia", "/actuator/jolokia/*");
        // hawtio's /actuator/hawtio/jolokia/* arrives here as a forward
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD);
        return bean;
    }

    @Bean
    LoginThrottle loginThrottle(SecurityProperties props, MeterRegistry meters) {
        return new LoginThrottle(props.loginFailureLimit(), Duration.ofSeconds(props.loginFailureWindowSeconds()), meters);
    }

    /** A request the firewall refuses (encoded separators, ...) gets the contract's JSON too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, e) -> {
            response.setStatus(400);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":\"REJECTED\",\"reason\":\"MALFORMED_REQUEST\"}");
        };
    }

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties props) {
        byte[] secret = props.jwtSecret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new IllegalStateException("AUTH_JWT_SECRET must be at least 32 bytes");
        }
        SecretKey key = new SecretKeySpec(secret, "HmacSHA256");
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(Duration.ofSeconds(props.clockSkewSeconds())),
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, exp -> exp != null),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank() && sub.length() <= 255));
        decoder.setJwtValidator(validator);
        return props.jwtCacheSize() == 0 ? decoder
                : new CachingJwtDecoder(decoder, props.jwtCacheSize(), Duration.ofSeconds(props.clockSkewSeconds()));
    }

    static Converter<Jwt, AbstractAuthenticationToken> customerConverter() {
        return jwt -> new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_" + CUSTOMER)), jwt.getSubject());
    }

    /** The one encoder: users are hashed with it at start, and HTTP Basic checks passwords with it (counted). */
    @Bean
    PasswordEncoder passwordEncoder(MeterRegistry meters) {
        return new CountingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder(), meters);
    }

    @Bean
    UserDetailsService operators(SecurityProperties props, PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(
                User.withUsername(props.operatorUsername()).password(encoder.encode(props.operatorPassword()))
                        .roles(OPERATOR, VIEWER).build(),
                User.withUsername(props.viewerUsername()).password(encoder.encode(props.viewerPassword()))
                        .roles(VIEWER).build());
    }
}
