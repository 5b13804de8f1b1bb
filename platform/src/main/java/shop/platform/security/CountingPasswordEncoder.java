package shop.platform.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The password encoder, counting each password it checks as {@code shop_auth_password_checks_total}: every check
 * is a bcrypt (about 0.1 s of a core), so the counter shows what logins cost - and that customer paths cost none.
 */
class CountingPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Counter checks;

    CountingPasswordEncoder(PasswordEncoder delegate, MeterRegistry meters) {
        this.delegate = delegate;
        this.checks = Counter.builder("shop.auth.password.checks").description("passwords checked (HTTP Basic logins)")
                .register(meters);
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        checks.increment();
        return delegate.matches(rawPassword, encodedPassword);
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }
}
