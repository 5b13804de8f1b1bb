package shop.platform.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.core.convert.converter.Converter;

/**
 * One security model for every service: customers by HS256 JWT (algorithm pinned, {@code exp} required
 * and enforced with bounded skew, {@code sub} required), operators and viewers by HTTP Basic. Probes are
 * open; customer paths need a customer; Prometheus and read-only console access need a viewer or
 * operator; everything else needs an operator.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String CUSTOMER = "CUSTOMER";
    public static final String OPERATOR = "OPERATOR";
    public static final String VIEWER = "VIEWER";

    @Bean
    SecurityFilterChain shopSecurity(HttpSecurity http, SecurityProperties props, JwtDecoder jwtDecoder,
                                     List<OperatorReadPaths> viewerReadable) throws Exception {
        JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint(props.customerPaths());
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
                .addFilterAfter(new JolokiaAccessFilter(), AuthorizationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives("frame-ancestors 'self'"))
                        .frameOptions(f -> f.sameOrigin()))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/health", "/ready", "/error").permitAll();
                    // the OpenAPI document is public (CONTRACT.md); Swagger UI is for operators (anyRequest below)
                    auth.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**").permitAll();
                    if (!props.customerPaths().isEmpty()) {
                        auth.requestMatchers(props.customerPaths().toArray(String[]::new)).hasRole(CUSTOMER);
                    }
                    // metrics, and which build is running (version, commit, time): read-only, like the metrics
                    auth.requestMatchers(HttpMethod.GET, "/actuator/prometheus", "/actuator/info").hasAnyRole(OPERATOR, VIEWER);
                    // the console: viewers look, JolokiaAccessFilter keeps them from operating
                    auth.requestMatchers("/actuator/hawtio", "/actuator/hawtio/**", "/actuator/jolokia", "/actuator/jolokia/**")
                            .hasAnyRole(OPERATOR, VIEWER);
                    for (OperatorReadPaths paths : viewerReadable) {
                        auth.requestMatchers(HttpMethod.GET, paths.patterns().toArray(String[]::new)).hasAnyRole(OPERATOR, VIEWER);
                    }
                    auth.anyRequest().hasRole(OPERATOR);
                })
                .httpBasic(b -> b.authenticationEntryPoint(entryPoint))
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.decoder(jwtDecoder).jwtAuthenticationConverter(customerConverter()))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new JsonAccessDeniedHandler()))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new JsonAccessDeniedHandler()));
        return http.build();
    }

    /** A request the firewall refuses (encoded separators, ...) gets the contract's JSON too. */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler() {
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
        return decoder;
    }

    static Converter<Jwt, AbstractAuthenticationToken> customerConverter() {
        return jwt -> new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_" + CUSTOMER)), jwt.getSubject());
    }

    @Bean
    UserDetailsService operators(SecurityProperties props) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(
                User.withUsername(props.operatorUsername()).password(encoder.encode(props.operatorPassword()))
                        .roles(OPERATOR, VIEWER).build(),
                User.withUsername(props.viewerUsername()).password(encoder.encode(props.viewerPassword()))
                        .roles(VIEWER).build());
    }
}
