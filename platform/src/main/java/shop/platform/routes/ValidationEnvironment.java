package shop.platform.routes;

import java.util.List;


/**
 * Where a route file is tried out: a throwaway CamelContext that never starts a route, with the beans,
 * properties, route configurations and route templates the file will meet when deployed.
 */
public interface ValidationEnvironment {

    /** A fresh context, configured but not started; {@code autoStartup} is off. */
    CheckContext newContext(RouteFile file) throws Exception;

    /** Problems only this environment can tell after the file was loaded (for instance beans it had to stand in for). */
    default List<RouteProblem> afterLoad(RouteFile file, CheckContext context) {
        return List.of();
    }
}
