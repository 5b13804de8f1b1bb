package shop.platform.routes;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.RouteService;

/**
 * The throwaway CamelContext a route file is tried out in: routes are created - endpoints resolved, beans,
 * methods, classes and properties looked up, templates applied - and then dropped, never warmed up or
 * started. So nothing is initialised, started or stopped on the beans it shares with the application, no
 * consumer runs, no queue is declared.
 */
public class CheckContext extends DefaultCamelContext {

    private final List<String> created = new ArrayList<>();

    public CheckContext() {
        super(false);
        disableJMX();
        setAutoStartup(false);
    }

    @Override
    public void startRouteService(RouteService routeService, boolean addingRoutes) {
        created.add(routeService.getRoute().getRouteId());
    }

    /** Ids of the routes created so far. */
    public List<String> createdRoutes() {
        return List.copyOf(created);
    }
}
