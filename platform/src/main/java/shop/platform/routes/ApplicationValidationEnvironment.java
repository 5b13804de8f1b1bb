package shop.platform.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.DefaultRegistry;

/**
 * Tries a route file out against the running service: a throwaway CamelContext that sees the
 * application's beans (read only: what the file binds stays in the throwaway), its properties, route
 * configurations and route templates. Routes are created there - endpoints resolved, beans and methods
 * looked up - and never started: no consumer, no timer, no queue declared.
 */
public final class ApplicationValidationEnvironment implements ValidationEnvironment {

    private final CamelContext application;

    public ApplicationValidationEnvironment(CamelContext application) {
        this.application = application;
    }

    @Override
    public CheckContext newContext(RouteFile file) throws Exception {
        CheckContext context = new CheckContext();
        context.getCamelContextExtension().setName(application.getName() + "-routes-check");
        context.disableJMX();
        context.setAutoStartup(false);
        context.getCamelContextExtension().setRegistry(new DefaultRegistry(application.getRegistry()));
        if (application.getApplicationContextClassLoader() != null) {
            context.setApplicationContextClassLoader(application.getApplicationContextClassLoader());
        }
        context.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "application";
            }

            @Override
            public String getProperty(String name) {
                return application.getPropertiesComponent().resolveProperty(name).orElse(null);
            }
        });
        context.build();
        Model model = application.getCamelContextExtension().getContextPlugin(Model.class);
        Model own = context.getCamelContextExtension().getContextPlugin(Model.class);
        own.addRouteConfigurations(model.getRouteConfigurationDefinitions());
        own.addRouteTemplateDefinitions(model.getRouteTemplateDefinitions());
        return context;
    }
}
