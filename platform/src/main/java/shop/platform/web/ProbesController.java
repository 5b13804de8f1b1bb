package shop.platform.web;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.apache.camel.CamelContext;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness ({@code /health}) and readiness ({@code /ready}): ready only when the service's database
 * and the broker answer and every route meant to run is started. No details in the body.
 */
@RestController
public class ProbesController {

    private static final Map<String, String> UP = Map.of("status", "UP");
    private static final Map<String, String> DOWN = Map.of("status", "DOWN");

    private final JdbcTemplate jdbc;
    private final ConnectionFactory rabbit;
    private final CamelContext camel;
    private final List<ReadinessCondition> conditions;

    public ProbesController(DataSource dataSource, ConnectionFactory rabbit, CamelContext camel,
                            List<ReadinessCondition> conditions) {
        this.conditions = conditions;
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(2);
        this.rabbit = rabbit;
        this.camel = camel;
    }

    @Operation(summary = "Liveness")
    @GetMapping("/health")
    public Map<String, String> health() {
        return UP;
    }

    @Operation(summary = "Readiness: database, broker and routes")
    @ApiResponse(responseCode = "200", description = "ready")
    @ApiResponse(responseCode = "503", description = "not ready: no details in the body")
    @GetMapping("/ready")
    public ResponseEntity<Map<String, String>> ready() {
        boolean ready = isReady();
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(ready ? UP : DOWN);
    }

    /** What {@code /ready} answers (also the metric {@code shop_ready}, ReadinessMetric). */
    public boolean isReady() {
        return camelReady() && conditions.stream().allMatch(ReadinessCondition::ready) && databaseReady() && brokerReady();
    }

    /** Camel reports Started only after every auto-started route has started (stopping a route later is an operator's act). */
    private boolean camelReady() {
        return camel.isStarted() && !camel.isStopping();
    }

    private boolean databaseReady() {
        try {
            return Integer.valueOf(1).equals(jdbc.queryForObject("SELECT 1", Integer.class));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean brokerReady() {
        try {
            Connection c = rabbit.createConnection();
            return c.isOpen();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
