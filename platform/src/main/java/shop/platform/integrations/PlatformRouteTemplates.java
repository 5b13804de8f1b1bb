package shop.platform.integrations;

import java.util.Collection;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's route templates ({@code routes/platform/templates/*.yaml} in the repository, in the jar
 * under {@code routes/platform/templates/}), added to every service's CamelContext with its routes, so a
 * route file - in the jar or in ROUTES_DIR - can use them with {@code templatedRoute}. They live in the jar
 * on purpose: reloading templates at run time is unreliable (CAMEL-NOTES, YAML DSL), a template changes
 * with a release.
 */
public class PlatformRouteTemplates implements RoutesBuilder {

    public static final String LOCATION = "classpath:routes/platform/templates/*.yaml";

    private static final Logger log = LoggerFactory.getLogger(PlatformRouteTemplates.class);

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        int n = load(context);
        log.info("loaded {} route template file(s) from {}", n, LOCATION);
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) {
        // templates only
    }

    @Override
    public java.util.Set<String> updateRoutesToCamelContext(CamelContext context) throws Exception {
        load(context);
        return java.util.Set.of();
    }

    /** Adds the templates to a context (the application's, or a throwaway one that checks a route file). */
    public static int load(CamelContext context) throws Exception {
        Collection<Resource> resources = PluginHelper.getPackageScanResourceResolver(context).findResources(LOCATION);
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources)) {
            context.addRoutes(builder);
        }
        return resources.size();
    }
}
