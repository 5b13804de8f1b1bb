package shop.platform.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the service's own database when it is missing, before the datasource and Flyway start.
 * Off with {@code shop.db.create-if-missing=false} (for managed databases where the role may not create).
 */
public class DatabaseCreator implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String name = env.getProperty("shop.db.name");
        if (name == null || !env.getProperty("shop.db.create-if-missing", Boolean.class, true)) {
            return;
        }
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalStateException("shop.db.name must be a plain lower-case identifier: " + name);
        }
        String url = "jdbc:postgresql://" + env.getProperty("POSTGRES_HOST", "127.0.0.1") + ":"
                + env.getProperty("POSTGRES_PORT", "5432") + "/postgres";
        Properties props = new Properties();
        props.setProperty("user", env.getProperty("spring.datasource.username", ""));
        props.setProperty("password", env.getProperty("spring.datasource.password", ""));
        // bounded like the pool's connections: a half-open socket must not hang the start for ever
        props.setProperty("socketTimeout", env.getProperty("shop.db.socket-timeout-seconds", "7"));
        try (Connection c = DriverManager.getConnection(url, props)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            // 42P04: another instance created it first. Anything else: let the datasource report it.
            if (!"42P04".equals(e.getSQLState())) {
                System.err.println("[" + env.getProperty("shop.service-name") + "] could not ensure database '" + name + "': " + e.getMessage());
            }
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
