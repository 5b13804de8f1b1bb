package shop.platform.security;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What {@link JolokiaRoleRestrictor#isOperationAllowed} answers for the operation strings Jolokia hands it - as a
 * request wrote them: with a signature, without one, with spaces after the commas - on MBeans that have the
 * operations (and overloads) of Camel 4.17's context and route MBeans and of hawtio's RBACRegistry, in an MBean
 * server of the test's own. The same requests through Jolokia itself, on the running service:
 * {@code OperatorSurfaceAttackTest} (order service).
 */
class JolokiaRoleRestrictorTest {

    static final String CONTEXT = "org.apache.camel:context=shop,type=context,name=\"shop\"";
    static final String ROUTE = "org.apache.camel:context=shop,type=routes,name=\"order-saga\"";
    static final String RBAC = "hawtio:type=security,name=RBACRegistry";
    /** Camel's context MBean with one more overload of dumpRoutesStatsAsXml, as a later Camel might have. */
    static final String LATER_CONTEXT = "org.apache.camel:context=later,type=context,name=\"later\"";
    static final String NOT_CAMEL = "com.example:context=shop,type=context,name=\"shop\"";

    final MBeanServer server = MBeanServerFactory.newMBeanServer();
    final JolokiaRoleRestrictor restrictor = new JolokiaRoleRestrictor(server);

    @BeforeEach
    void mbeans() throws Exception {
        register(CONTEXT, "dumpRoutesAsXml()", "dumpRoutesAsXml(boolean)", "dumpRoutesAsXml(boolean,boolean)",
                "dumpRoutesAsXml(boolean,boolean,boolean)", "dumpRoutesStatsAsXml(boolean,boolean)", "dumpRoutesAsYaml()",
                "dumpRoutesAsYaml(boolean)", "sendBody(java.lang.String,java.lang.Object)", "stop()", "componentNames()");
        register(ROUTE, "isUpdateRouteEnabled()", "stop()", "start()", "dumpRouteAsXml()", "dumpRouteAsXml(boolean)",
                "dumpRouteStatsAsXml(boolean,boolean)", "updateRouteFromXml(java.lang.String)");
        register(RBAC, "list()", "list(java.lang.String)");
        register(LATER_CONTEXT, "dumpRoutesAsXml()", "dumpRoutesStatsAsXml(boolean,boolean)", "dumpRoutesStatsAsXml(boolean,boolean,boolean)");
        register(NOT_CAMEL, "dumpRoutesAsXml()", "dumpRoutesStatsAsXml(boolean,boolean)");
    }

    @AfterEach
    void forgetTheCaller() {
        SecurityContextHolder.clearContext();
    }

    static Stream<Arguments> viewerMayCall() {
        return Stream.of(
                // hawtio's MBean tree
                arguments(RBAC, "list()"),
                arguments(RBAC, "list(java.lang.String)"),
                // the routes' XML, placeholders left as they are: tree, diagram, source
                arguments(CONTEXT, "dumpRoutesAsXml()"),
                // the counters: the diagram's numbers, the profile (hawtio names it without a signature)
                arguments(CONTEXT, "dumpRoutesStatsAsXml"),
                arguments(CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean)"),
                arguments(CONTEXT, "dumpRoutesStatsAsXml(boolean, boolean)"),
                arguments(LATER_CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean)"),
                // the source view's "may I save" question
                arguments(ROUTE, "isUpdateRouteEnabled()"),
                arguments(ROUTE, "isUpdateRouteEnabled"));
    }

    static Stream<Arguments> viewerMayNotCall() {
        return Stream.of(
                // the overloads that resolve property placeholders (passwords, API keys) into the XML, in every spelling
                arguments(CONTEXT, "dumpRoutesAsXml(boolean)"),
                arguments(CONTEXT, "dumpRoutesAsXml(boolean,boolean)"),
                arguments(CONTEXT, "dumpRoutesAsXml(boolean, boolean)"),
                arguments(CONTEXT, "dumpRoutesAsXml(boolean,boolean,boolean)"),
                arguments(CONTEXT, "dumpRoutesAsXml(java.lang.Boolean)"),
                arguments(CONTEXT, "dumpRoutesAsXml"), // overloaded: Jolokia would refuse it, so do we
                arguments(CONTEXT, "dumpRoutesAsXml( )"),
                arguments(CONTEXT, "dumpRoutesAsXml()(boolean)"),
                arguments(CONTEXT, "dumpRoutesAsXml (boolean)"),
                arguments(CONTEXT, " dumpRoutesAsXml()"),
                // reads hawtio does not need for routes, diagrams, sources and statistics
                arguments(CONTEXT, "dumpRoutesAsYaml()"),
                arguments(CONTEXT, "componentNames()"),
                arguments(ROUTE, "dumpRouteAsXml()"),
                arguments(ROUTE, "dumpRouteAsXml(boolean)"),
                arguments(ROUTE, "dumpRouteStatsAsXml(boolean,boolean)"),
                // a later overload makes a bare name ambiguous: Jolokia refuses it, the exact signature still works
                arguments(LATER_CONTEXT, "dumpRoutesStatsAsXml"),
                arguments(LATER_CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean,boolean)"),
                // what operates
                arguments(CONTEXT, "sendBody(java.lang.String,java.lang.Object)"),
                arguments(CONTEXT, "sendBody"),
                arguments(CONTEXT, "stop()"),
                arguments(ROUTE, "stop()"),
                arguments(ROUTE, "stop"),
                arguments(ROUTE, "updateRouteFromXml(java.lang.String)"),
                // an allowed name on another MBean type, another domain, a pattern, an MBean that is not there
                arguments(ROUTE, "dumpRoutesAsXml()"),
                arguments(CONTEXT, "isUpdateRouteEnabled()"),
                arguments(RBAC.replace("RBACRegistry", "Other"), "list()"),
                arguments(NOT_CAMEL, "dumpRoutesAsXml()"),
                arguments("org.apache.camel:type=context,*", "dumpRoutesAsXml()"),
                arguments("*:type=context,*", "dumpRoutesStatsAsXml(boolean,boolean)"),
                arguments("org.apache.camel:context=gone,type=routes,name=\"gone\"", "isUpdateRouteEnabled"),
                arguments(RBAC, "list"), // overloaded
                arguments(CONTEXT, null));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("viewerMayCall")
    void aViewerCallsTheReadsTheConsoleNeeds(String mbean, String operation) throws Exception {
        as("ROLE_" + SecurityConfiguration.VIEWER);
        assertThat(restrictor.isTypeAllowed(RequestType.EXEC)).isTrue();
        assertThat(restrictor.isOperationAllowed(new ObjectName(mbean), operation)).isTrue();

        as("ROLE_" + SecurityConfiguration.OPERATOR);
        assertThat(restrictor.isOperationAllowed(new ObjectName(mbean), operation)).as("operators too").isTrue();

        SecurityContextHolder.clearContext();
        assertThat(restrictor.isTypeAllowed(RequestType.EXEC)).as("nobody").isFalse();
        assertThat(restrictor.isOperationAllowed(new ObjectName(mbean), operation)).as("nobody").isFalse();
        as("ROLE_CUSTOMER");
        assertThat(restrictor.isOperationAllowed(new ObjectName(mbean), operation)).as("another role").isFalse();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("viewerMayNotCall")
    void aViewerCallsNothingElse(String mbean, String operation) throws Exception {
        as("ROLE_" + SecurityConfiguration.VIEWER);
        assertThat(restrictor.isOperationAllowed(new ObjectName(mbean), operation)).isFalse();
    }

    @Test
    void aViewerStillWritesNothing() throws Exception {
        as("ROLE_" + SecurityConfiguration.VIEWER);
        assertThat(restrictor.isTypeAllowed(RequestType.WRITE)).isFalse();
        assertThat(restrictor.isAttributeWriteAllowed(new ObjectName(CONTEXT), "Tracing")).isFalse();
        assertThat(restrictor.isAttributeReadAllowed(new ObjectName(CONTEXT), "State")).isTrue();
    }

    @Test
    void operatorsKeepTheirOperationsAndTheRefusalsHoldForThem() throws Exception {
        as("ROLE_" + SecurityConfiguration.OPERATOR);
        assertThat(restrictor.isOperationAllowed(new ObjectName(ROUTE), "stop()")).isTrue();
        assertThat(restrictor.isOperationAllowed(new ObjectName(CONTEXT), "sendBody(java.lang.String,java.lang.Object)")).isFalse();
        assertThat(restrictor.isOperationAllowed(new ObjectName(ROUTE), "updateRouteFromXml")).isFalse();
        assertThat(restrictor.isOperationAllowed(new ObjectName("org.apache.camel:type=routes,*"), "stop()")).isFalse();
    }

    @Test
    void nobodyResolvesPlaceholdersOperatorsIncluded() throws Exception {
        as("ROLE_" + SecurityConfiguration.OPERATOR);
        for (String resolving : List.of("dumpRoutesAsXml(boolean)", "dumpRoutesAsXml(boolean, boolean)", "dumpRoutesAsXml(boolean,boolean,boolean)",
                "dumpRoutesAsYaml(boolean)", "dumpRestsAsXml(boolean)", "dumpRoutesAsXml")) {
            assertThat(restrictor.isOperationAllowed(new ObjectName(CONTEXT), resolving)).as(resolving).isFalse();
        }
        for (String resolving : List.of("dumpRouteAsXml(boolean)", "dumpRouteAsYaml(boolean,boolean)")) {
            assertThat(restrictor.isOperationAllowed(new ObjectName(ROUTE), resolving)).as(resolving).isFalse();
        }
        assertThat(restrictor.isOperationAllowed(new ObjectName(CONTEXT), "dumpRoutesAsXml()")).isTrue();
        assertThat(restrictor.isOperationAllowed(new ObjectName(ROUTE), "dumpRouteAsXml()")).isTrue();
        assertThat(restrictor.isOperationAllowed(new ObjectName(NOT_CAMEL), "dumpRoutesAsXml(boolean)")).as("not Camel's").isTrue();
    }

    @Test
    void signaturesAreReadAsJolokiaReadsThem() {
        assertThat(JolokiaRoleRestrictor.jolokiaForm("dumpRoutesStatsAsXml(boolean , boolean)")).isEqualTo("dumpRoutesStatsAsXml(boolean,boolean)");
        assertThat(JolokiaRoleRestrictor.jolokiaForm("dumpRoutesAsXml()")).isEqualTo("dumpRoutesAsXml()");
        assertThat(JolokiaRoleRestrictor.jolokiaForm("dumpRoutesAsXml( )")).isEqualTo("dumpRoutesAsXml( )");
        assertThat(JolokiaRoleRestrictor.jolokiaForm("dumpRoutesAsXml()(boolean)")).isEqualTo("dumpRoutesAsXml()(boolean)");
    }

    // ---------------------------------------------------------------------------------------------------------

    static void as(String role) {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("someone", "x", role));
    }

    void register(String name, String... signatures) throws Exception {
        server.registerMBean(new Operations(signatures), new ObjectName(name));
    }

    /** An MBean that has the operations named by their signatures, {@code name(type1,type2)}, and does nothing. */
    record Operations(String... signatures) implements DynamicMBean {
        @Override
        public MBeanInfo getMBeanInfo() {
            MBeanOperationInfo[] ops = Arrays.stream(signatures).map(s -> {
                String name = s.substring(0, s.indexOf('('));
                String types = s.substring(s.indexOf('(') + 1, s.length() - 1);
                MBeanParameterInfo[] params = types.isEmpty() ? new MBeanParameterInfo[0] : Arrays.stream(types.split(","))
                        .map(t -> new MBeanParameterInfo("p", t, "")).toArray(MBeanParameterInfo[]::new);
                return new MBeanOperationInfo(name, "", params, "java.lang.String", MBeanOperationInfo.INFO);
            }).toArray(MBeanOperationInfo[]::new);
            return new MBeanInfo(Operations.class.getName(), "", null, null, ops, null);
        }

        @Override
        public Object getAttribute(String attribute) {
            return null;
        }

        @Override
        public void setAttribute(Attribute attribute) {
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            return new AttributeList();
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException(actionName);
        }
    }
}
