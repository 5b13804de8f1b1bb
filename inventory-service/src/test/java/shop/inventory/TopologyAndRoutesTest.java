package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The queue this service declares, and the routes it runs, as an operator sees them. */
class TopologyAndRoutesTest extends InventoryTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void commandQueueAndItsDeadLetterQueueAreDeclared() {
        assertThat(rabbitAdmin.getQueueInfo("inventory.commands")).isNotNull();
        assertThat(rabbitAdmin.getQueueInfo("inventory.commands.dlq")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inventory-commands", "inventory-reservation-expiry"})
    void routeIsStartedWithADescription(String routeId) {
        Route route = camel.getRoute(routeId);
        assertThat(route).as(routeId).isNotNull();
        assertThat(route.getDescription()).isNotBlank();
        assertThat(camel.getRouteController().getRouteStatus(routeId)).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void commandRouteUsesTheCommandHandlerConfiguration() {
        assertThat(camel.getRoute("inventory-commands").getConfigurationId()).isEqualTo("command-handler");
    }
}
