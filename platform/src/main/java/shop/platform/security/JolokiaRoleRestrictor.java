package shop.platform.security;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

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
 *       whatever the operation is called; the one exception is {@link #VIEWER_OPERATIONS}: hawtio's own MBean
 *       tree ({@code RBACRegistry.list()}, which only reads MBean infos), without which the console shows a
 *       viewer nothing;</li>
 *   <li>operators: those and {@code exec}, {@code write};</li>
 *   <li>nobody: the MBeans in {@link #REFUSED} (heap and thread dumps to files, flight recordings, VM flags, code
 *       loaded from URLs, multicast discovery, queue deletion) - not listed, not readable, not callable - and the
 *       Camel operations in {@link #REFUSED_OPERATIONS}, which put messages or route code into the running
 *       context (a message to {@code sql:}, {@code file:} or {@code spring-rabbitmq:} is arbitrary SQL, files and
 *       forged commands). ADR 18.</li>
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

    /** The only operations a viewer may call: by ObjectName and operation name, read in their source. */
    static final Map<ObjectName, Set<String>> VIEWER_OPERATIONS = Map.of(name("hawtio:type=security,name=RBACRegistry"), Set.of("list"));

    static final String MLET = "javax.management.loading.MLet";

    private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();

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
            case OPERATOR -> concrete(name) && !refused(name) && !refusedOperation(name, operation);
            case VIEWER -> name != null && VIEWER_OPERATIONS.getOrDefault(name, Set.of()).contains(bare(operation));
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
