package shop.platform.security;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.management.InstanceNotFoundException;
import javax.management.IntrospectionException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;

import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who may do what through Jolokia, judged by Jolokia itself on the request it parsed - whatever form it came in
 * (GET path, {@code ?p=}, POST object, bulk array). Jolokia's servlet calls it on the request thread, inside
 * Spring Security's filter chain, so the caller's roles are the {@link SecurityContextHolder}'s. No
 * authentication there (another thread, a customer, anyone else) means nothing is allowed.
 * <ul>
 *   <li>viewers: {@code read}, {@code list}, {@code search}, {@code version} - no {@code exec}, no {@code write},
 *       whatever the operation is called; the exceptions are {@link #VIEWER_OPERATIONS}, each named by MBean and
 *       exact signature: hawtio's own MBean tree ({@code RBACRegistry.list()}, which only reads MBean infos) and
 *       the Camel operations that only read, from which hawtio 5.2.0 draws the routes' tree, diagram, source and
 *       statistics - {@code dumpRoutesAsXml()} but not its overloads, which can resolve property placeholders
 *       (passwords, API keys) into the XML;</li>
 *   <li>operators: those and {@code exec}, {@code write};</li>
 *   <li>nobody: the MBeans in {@link #REFUSED} (heap and thread dumps to files, flight recordings, VM flags, code
 *       loaded from URLs, multicast discovery, queue deletion) - not listed, not readable, not callable - and the
 *       Camel operations in {@link #REFUSED_OPERATIONS}, which put messages or route code into the running
 *       context (a message to {@code sql:}, {@code file:} or {@code spring-rabbitmq:} is arbitrary SQL, files and
 *       forged commands), and the overloads of Camel's route dumps that resolve property placeholders
 *       ({@link #PLACEHOLDER_DUMPS}). ADR 18.</li>
 * </ul>
 */
public class JolokiaRoleRestrictor implements Restrictor {

    static final Set<RequestType> VIEWER_TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION);
    static final Set<RequestType> OPERATOR_TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION,
            RequestType.EXEC, RequestType.WRITE);

    /** Refused to every web caller, by ObjectName: a whole domain ({@code domain:*}) or domain and {@code type}. */
    static final Set<String> REFUSED = Set.of(
            "com.sun.management:*",               // HotSpotDiagnostic (dumpHeap, setVMOption), DiagnosticCommand (GC.heap_dump, JFR.start, VM.system_properties, ...)
            "jdk.management.jfr:*",               // FlightRecorder: recordings of the heap's objects, copied to files
            "javax.management.loading:*",         // the MLet family: loads classes from URLs
            "jolokia:type=Discovery",             // multicast lookup of other agents: beyond the process
            "org.springframework.amqp.rabbit.core:type=RabbitAdmin"); // declare, delete, purge queues and exchanges

    /** Refused to every web caller: operation names (signature aside) on Camel MBeans of a {@code type}. */
    static final Map<String, Set<String>> REFUSED_OPERATIONS = Map.of(
            "context", Set.of("sendBody", "sendBodyAndHeaders", "sendStringBody", "requestBody", "requestBodyAndHeaders",
                    "requestStringBody", "createEndpoint", "setGlobalOption", "addOrUpdateRoutesFromXml"),
            "routes", Set.of("updateRouteFromXml", "updateRouteFromYaml"));

    /**
     * Camel's route dumps whose overloads take {@code resolvePlaceholders} first: with {@code true} they write every
     * property placeholder's value - the database and operator passwords, API keys - into the answer. Refused to every
     * web caller except as the no-argument form, which leaves the placeholders as they are written ({@code {{...}}}).
     */
    static final Set<String> PLACEHOLDER_DUMPS = Set.of("dumpRoutesAsXml", "dumpRoutesAsYaml", "dumpRouteAsXml", "dumpRouteAsYaml",
            "dumpRestsAsXml");

    /**
     * The only operations a viewer may call: by ObjectName (a pattern: the MBeans it matches) and exact signature,
     * each read in its source (hawtio 5.2.0's console, Camel 4.17's MBeans), each one that changes nothing, sends
     * nothing, writes no file and returns no secret. An overload not named here is refused, however harmless its
     * name sounds: {@code dumpRoutesAsXml(boolean)} with {@code true} resolves the property placeholders of every
     * route into the XML. A name without a signature is judged as the one operation Jolokia would then call (it
     * refuses an overloaded one), {@link #signatureJolokiaCalls}.
     */
    static final Map<ObjectName, Set<String>> VIEWER_OPERATIONS = Map.of(
            // hawtio's MBean tree: reads MBean infos (the console's jolokia-service, list method RBAC)
            name("hawtio:type=security,name=RBACRegistry"), Set.of("list()", "list(java.lang.String)"),
            // the routes as XML, placeholders unresolved: the Camel tree, the route diagram and the source view (route-stats-service.ts);
            // the routes' and processors' counters: the diagram's numbers and the profile (dumpRoutesStatsXML)
            name("org.apache.camel:type=context,*"), Set.of("dumpRoutesAsXml()", "dumpRoutesStatsAsXml(boolean,boolean)"),
            // whether the source view offers to save: a setting, read (routes/Source.tsx)
            name("org.apache.camel:type=routes,*"), Set.of("isUpdateRouteEnabled()"));

    /** How Jolokia's {@code ExecHandler} splits {@code name(type1, type2)} into the name and the parameter types. */
    static final Pattern SIGNATURE = Pattern.compile("^(.*)\\((.*)\\)$");

    static final String MLET = "javax.management.loading.MLet";

    private final MBeanServer platform;

    public JolokiaRoleRestrictor() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    /** {@code server}: where the MBeans are that Jolokia calls (the platform's, in the services). */
    JolokiaRoleRestrictor(MBeanServer server) {
        this.platform = server;
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        Role role = role();
        return role == Role.OPERATOR ? OPERATOR_TYPES.contains(type)
                : role == Role.VIEWER && (VIEWER_TYPES.contains(type) || type == RequestType.EXEC);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return role() != Role.NONE && !refused(name);
    }

    /** Jolokia judges a write or exec on an ObjectName pattern once, for the pattern: never allowed. */
    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return role() == Role.OPERATOR && concrete(name) && !refused(name);
    }

    /** A viewer's {@code exec} passes the type check only to be judged here, by MBean and operation. */
    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return switch (role()) {
            case OPERATOR -> concrete(name) && !refused(name) && !refusedOperation(name, operation) && !resolvesPlaceholders(name, operation);
            case VIEWER -> viewerMayCall(name, operation);
            case NONE -> false;
        };
    }

    /** Spring Security has authenticated the caller; where it may connect from is the network's business. */
    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true;
    }

    /**
     * Jolokia asks twice: strictly, whether to serve a request with this {@code Origin} at all (yes: the console's
     * own POSTs carry one; CSRF tokens and the cross-site rule of {@link SecurityConfiguration} guard the rest), and
     * whether to answer it with CORS headers that let that origin read the answer with the browser's credentials
     * (never: the console is served from the same origin).
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return onlyWhenStrictCheckingIsEnabled;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return refused(name);
    }

    /**
     * Whether the operation Jolokia will call for {@code operation} on {@code name} is one of
     * {@link #VIEWER_OPERATIONS}. Jolokia hands this method the operation as the request wrote it - with its
     * signature ({@code dumpRoutesAsXml(boolean)}), without ({@code dumpRoutesAsXml}), spaces after the commas -
     * and calls exactly the operation of that name and those parameter types, or, without a signature, the one
     * operation of that name (none if it is overloaded). So the request's signature is put into Jolokia's form
     * and compared whole, and a name without one is compared as the signature of the single operation the MBean
     * has under that name. Never on an ObjectName pattern.
     */
    boolean viewerMayCall(ObjectName name, String operation) {
        if (!concrete(name) || operation == null || refused(name)) {
            return false;
        }
        Set<String> allowed = VIEWER_OPERATIONS.entrySet().stream().filter(e -> e.getKey().apply(name))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toUnmodifiableSet());
        if (allowed.isEmpty()) {
            return false;
        }
        Optional<String> signature = SIGNATURE.matcher(operation).matches() ? Optional.of(jolokiaForm(operation))
                : signatureJolokiaCalls(name, operation);
        return signature.isPresent() && allowed.contains(signature.get());
    }

    /**
     * Whether the operation is one of {@link #PLACEHOLDER_DUMPS} in any form but its no-argument one: the signature as
     * Jolokia will call it ({@link #signatureJolokiaCalls} for a name without one; none when it is overloaded, which
     * Jolokia refuses anyway).
     */
    boolean resolvesPlaceholders(ObjectName name, String operation) {
        if (!"org.apache.camel".equals(name.getDomain()) || !PLACEHOLDER_DUMPS.contains(bare(operation))) {
            return false;
        }
        Optional<String> signature = SIGNATURE.matcher(operation).matches() ? Optional.of(jolokiaForm(operation))
                : signatureJolokiaCalls(name, operation);
        return !signature.equals(Optional.of(bare(operation) + "()"));
    }

    /** {@code name(type1, type2)} as Jolokia reads it: the name as written, the types split at commas and their spaces. */
    static String jolokiaForm(String operation) {
        Matcher m = SIGNATURE.matcher(operation);
        if (!m.matches()) {
            throw new IllegalArgumentException(operation);
        }
        List<String> types = m.group(2).isEmpty() ? List.of() : Arrays.asList(m.group(2).split("\\s*,\\s*"));
        return m.group(1) + "(" + String.join(",", types) + ")";
    }

    /**
     * The signature of the operation Jolokia calls for a name given without one: the MBean's only operation of
     * that name; none when there are several (Jolokia refuses the request) or none, or the MBean is not there.
     */
    Optional<String> signatureJolokiaCalls(ObjectName name, String operation) {
        try {
            List<MBeanOperationInfo> named = Arrays.stream(platform.getMBeanInfo(name).getOperations())
                    .filter(op -> op.getName().equals(operation)).toList();
            if (named.size() != 1) {
                return Optional.empty();
            }
            String types = Arrays.stream(named.get(0).getSignature()).map(MBeanParameterInfo::getType).collect(Collectors.joining(","));
            return Optional.of(operation + "(" + types + ")");
        } catch (InstanceNotFoundException | IntrospectionException | ReflectionException e) {
            return Optional.empty();
        }
    }

    static boolean refused(ObjectName name, boolean isMLet) {
        if (name == null) {
            return false;
        }
        String domain = name.getDomain();
        String type = name.getKeyProperty("type");
        return isMLet || REFUSED.contains(domain + ":*") || (type != null && REFUSED.contains(domain + ":type=" + type))
                || (type != null && type.contains("MLet"));
    }

    private boolean refused(ObjectName name) {
        return refused(name, isMLet(name));
    }

    private boolean isMLet(ObjectName name) {
        if (name == null || name.isPattern()) {
            return false;
        }
        try {
            return platform.isInstanceOf(name, MLET);
        } catch (InstanceNotFoundException e) {
            return false;
        }
    }

    static boolean refusedOperation(ObjectName name, String operation) {
        if (name == null || operation == null || !"org.apache.camel".equals(name.getDomain())) {
            return false;
        }
        Set<String> refused = REFUSED_OPERATIONS.get(name.getKeyProperty("type"));
        return refused != null && refused.contains(bare(operation));
    }

    /** The operation's name without its signature: {@code stop()} and {@code stop} are the same operation. */
    static String bare(String operation) {
        if (operation == null) {
            return "";
        }
        int signature = operation.indexOf('(');
        return (signature < 0 ? operation : operation.substring(0, signature)).trim();
    }

    static boolean concrete(ObjectName name) {
        return name != null && !name.isPattern();
    }

    static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    enum Role { OPERATOR, VIEWER, NONE }

    static Role role() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated()) {
            return Role.NONE;
        }
        Set<String> roles = Set.copyOf(auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
        if (roles.contains("ROLE_" + SecurityConfiguration.OPERATOR)) {
            return Role.OPERATOR;
        }
        return roles.contains("ROLE_" + SecurityConfiguration.VIEWER) ? Role.VIEWER : Role.NONE;
    }
}
