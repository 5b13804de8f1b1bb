package shop.platform.routes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.PluginHelper;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePropertySource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Checks route files without a running service: no database, no broker, no Spring context. What it has:
 * the service's properties ({@code application.properties} over the platform defaults), the route
 * configurations and templates of the jar, and the names of the service's beans, read from its classes
 * ({@code @Component}s and {@code @Bean} methods under {@code shop}) plus the infrastructure Spring Boot
 * provides. A bean a file refers to is stood in for by a placeholder (see {@link Placeholders}); a name
 * the service has no bean for is reported. What stays unchecked offline: whether a method called on a
 * service bean exists and takes those arguments - the live reload checks that against the real beans.
 */
public final class OfflineValidationEnvironment implements ValidationEnvironment {

    /** Beans Spring Boot and the platform's auto-configuration give every service. */
    static final Set<String> INFRASTRUCTURE = Set.of("dataSource", "transactionManager", "jdbcTemplate",
            "namedParameterJdbcTemplate", "connectionFactory", "rabbitConnectionFactory", "rabbitTemplate", "amqpAdmin",
            "rabbitMessagingTemplate", "objectMapper", "jacksonObjectMapper", "meterRegistry", "prometheusMeterRegistry",
            "circuitBreakerRegistry", "sagaService", "flyway", "camelContext", "producerTemplate", "consumerTemplate", "fluentProducerTemplate",
            "PROPAGATION_REQUIRED", "OUTBOX_TRANSACTION");

    private final String service;
    private final List<String> stubClassPrefixes;
    private final Set<String> knownBeans;
    private final List<RouteFile> supportFiles;
    private final StandardEnvironment properties;

    private OfflineValidationEnvironment(Builder b) {
        this.service = b.service;
        this.stubClassPrefixes = List.copyOf(b.stubClassPrefixes);
        Set<String> known = new LinkedHashSet<>(INFRASTRUCTURE);
        if (b.scanPackage != null) {
            known.addAll(scanBeanNames(b.scanPackage));
        }
        known.addAll(b.beans);
        this.knownBeans = known;
        this.properties = environment(b.properties, b.propertyFiles);
        List<RouteFile> support = new ArrayList<>();
        // templates first: a route configuration never needs a template, a templatedRoute needs both
        for (String pattern : b.templatePatterns) {
            for (Map.Entry<String, String> e : read(pattern).entrySet()) {
                support.add(RouteFile.parse(e.getKey(), e.getValue()));
            }
        }
        for (String pattern : configurationPatterns(b)) {
            for (Map.Entry<String, String> e : read(pattern).entrySet()) {
                RouteFile f = RouteFile.parse(e.getKey(), e.getValue());
                if (f.syntaxError() == null) {
                    support.add(RouteFile.parse(e.getKey(), f.excerpt("routeConfiguration")));
                }
            }
        }
        for (RouteFile f : b.supportFiles) {
            support.add(RouteFile.parse(f.name(), f.excerpt("routeConfiguration")));
        }
        this.supportFiles = support;
    }

    public static Builder forService(String service) {
        return new Builder(service);
    }

    public Set<String> knownBeans() {
        return knownBeans;
    }

    @Override
    public CheckContext newContext(RouteFile file) throws Exception {
        Set<String> names = new LinkedHashSet<>(file.beanRefs().keySet());
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        merge(methods, file.beanMethods());
        for (RouteFile support : supportFiles) {
            names.addAll(support.beanRefs().keySet());
            merge(methods, support.beanMethods());
        }
        names.addAll(INFRASTRUCTURE);
        // a templated route names beans through its parameters ("{{breaker}}Breaker"), which the file's text does not show
        names.addAll(knownBeans);
        Placeholders.Registry registry = new Placeholders.Registry(names, methods);
        PlatformTransactionManager tm = Placeholders.of("transactionManager", PlatformTransactionManager.class);
        registry.bind("transactionManager", PlatformTransactionManager.class, tm);
        registry.bind("PROPAGATION_REQUIRED", SpringTransactionPolicy.class, propagationRequired(tm));
        registry.bind("OUTBOX_TRANSACTION", SpringTransactionPolicy.class, propagationRequired(tm));
        registry.bind("dataSource", javax.sql.DataSource.class, Placeholders.of("dataSource", javax.sql.DataSource.class));
        registry.bind("connectionFactory", org.springframework.amqp.rabbit.connection.ConnectionFactory.class,
                Placeholders.of("connectionFactory", org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
        registry.bind("circuitBreakerRegistry", CircuitBreakerRegistry.class, CircuitBreakerRegistry.ofDefaults());
        // the Saga EIP needs a saga service; the order service's is a Spring bean (SagaConfiguration)
        org.apache.camel.saga.InMemorySagaService sagas = new org.apache.camel.saga.InMemorySagaService();
        registry.bind("sagaService", org.apache.camel.saga.CamelSagaService.class, sagas);

        CheckContext context = new CheckContext();
        sagas.setCamelContext(context);
        context.getCamelContextExtension().setName("routes-check-" + service);
        context.disableJMX();
        context.setAutoStartup(false);
        context.getCamelContextExtension().setRegistry(registry);
        if (!stubClassPrefixes.isEmpty()) {
            context.setClassResolver(new Placeholders.ClassResolver(stubClassPrefixes));
        }
        context.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return service + " properties";
            }

            @Override
            public String getProperty(String name) {
                try {
                    return properties.getProperty(name);
                } catch (IllegalArgumentException unresolvable) {
                    return properties.getPropertySources().stream().map(s -> s.getProperty(name))
                            .filter(v -> v != null).map(String::valueOf).findFirst().orElse(null);
                }
            }
        });
        context.build();
        for (RouteFile support : supportFiles) {
            if (support.text().isBlank() || baseName(support.name()).equals(baseName(file.name()))) {
                continue;
            }
            PluginHelper.getRoutesLoader(context).loadRoutes(RouteChecks.resource(support.name(), support.text()));
        }
        return context;
    }

    @Override
    public List<RouteProblem> afterLoad(RouteFile file, CheckContext context) {
        List<RouteProblem> problems = new ArrayList<>();
        if (context.getRegistry() instanceof Placeholders.Registry registry) {
            for (String name : registry.used()) {
                Integer line = file.beanRefs().get(name);
                if (line != null && !knownBeans.contains(name)) {
                    problems.add(new RouteProblem(file.name(), line, "unknown bean '" + name + "': " + service
                            + " has no bean of that name"));
                }
            }
        }
        return problems;
    }

    private static String baseName(String name) {
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }

    private static SpringTransactionPolicy propagationRequired(PlatformTransactionManager tm) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(tm);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    private static void merge(Map<String, Set<String>> into, Map<String, Set<String>> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
    }

    private List<String> configurationPatterns(Builder b) {
        if (b.configurationPatterns != null) {
            return b.configurationPatterns;
        }
        return List.of("classpath:routes/platform/*.yaml", "classpath:routes/" + service + "/*.yaml");
    }

    /** The service's properties as it would see them without an environment: application.properties over the platform defaults. */
    private static StandardEnvironment environment(Map<String, String> overrides, List<java.nio.file.Path> files) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("overrides", new LinkedHashMap<>(overrides)));
        for (java.nio.file.Path file : files) {
            try {
                env.getPropertySources().addLast(new ResourcePropertySource(file.toString(),
                        new org.springframework.core.io.FileSystemResource(file)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        for (String location : List.of("application.properties", "shop-platform.properties")) {
            org.springframework.core.io.ClassPathResource r = new org.springframework.core.io.ClassPathResource(location);
            if (r.exists()) {
                try {
                    env.getPropertySources().addLast(new ResourcePropertySource(location, r));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + location, e);
                }
            }
        }
        return env;
    }

    /** Files matching a Spring resource pattern ({@code classpath*:}, {@code file:}), by name. */
    static Map<String, String> read(String pattern) {
        Map<String, String> files = new LinkedHashMap<>();
        try {
            Resource[] found = new PathMatchingResourcePatternResolver(OfflineValidationEnvironment.class.getClassLoader())
                    .getResources(pattern.startsWith("classpath:") ? "classpath*:" + pattern.substring(10) : pattern);
            for (Resource r : found) {
                if (r.isReadable()) {
                    try (InputStream in = r.getInputStream()) {
                        files.put(r.getFilename(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + pattern, e);
        }
        return files;
    }

    /** Names of the beans declared under a package: {@code @Component}s (configurations included) and their {@code @Bean} methods. */
    static Set<String> scanBeanNames(String basePackage) {
        Set<String> names = new LinkedHashSet<>();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new org.springframework.core.type.filter.AnnotationTypeFilter(Component.class));
        AnnotationBeanNameGenerator generator = new AnnotationBeanNameGenerator();
        SimpleBeanDefinitionRegistry registry = new SimpleBeanDefinitionRegistry();
        ClassLoader loader = OfflineValidationEnvironment.class.getClassLoader();
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            names.add(generator.generateBeanName(candidate, registry));
            try {
                Class<?> type = Class.forName(candidate.getBeanClassName(), false, loader);
                for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Method m : c.getDeclaredMethods()) {
                        Bean bean = m.getAnnotation(Bean.class);
                        if (bean != null) {
                            String[] declared = bean.name().length > 0 ? bean.name() : bean.value();
                            if (declared.length > 0) {
                                names.addAll(List.of(declared));
                            } else {
                                names.add(m.getName());
                            }
                        }
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // a class that cannot be loaded here declares no bean the routes could see
            }
        }
        return names;
    }

    public static final class Builder {
        private final String service;
        private String scanPackage = "shop";
        private final Set<String> beans = new LinkedHashSet<>();
        private final List<String> stubClassPrefixes = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> templatePatterns = new ArrayList<>(List.of(PlatformRouteTemplates.LOCATION));
        private List<String> configurationPatterns;
        private final List<RouteFile> supportFiles = new ArrayList<>();
        private final List<java.nio.file.Path> propertyFiles = new ArrayList<>();

        private Builder(String service) {
            this.service = service;
            properties.put("shop.service-name", service);
        }

        /** Bean names the service has beyond those found by scanning its classes. */
        public Builder beans(Iterable<String> names) {
            names.forEach(beans::add);
            return this;
        }

        /** Classes under these prefixes that cannot be loaded are stood in for (a check without the service's classes). */
        public Builder stubClasses(String... prefixes) {
            stubClassPrefixes.addAll(List.of(prefixes));
            return this;
        }

        /** A properties file of the service, when its classes are not on the classpath (over the platform defaults). */
        public Builder propertiesFile(java.nio.file.Path file) {
            propertyFiles.add(file);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Where the jar's route configurations come from (default: the service's classpath route folders). */
        public Builder configurations(List<String> patterns) {
            this.configurationPatterns = List.copyOf(patterns);
            return this;
        }

        /** Route files whose route configurations routes may use, beside the classpath ones. */
        public Builder supportFile(RouteFile file) {
            supportFiles.add(file);
            return this;
        }

        public Builder scan(String basePackage) {
            this.scanPackage = basePackage;
            return this;
        }

        public OfflineValidationEnvironment build() {
            return new OfflineValidationEnvironment(this);
        }
    }
}
