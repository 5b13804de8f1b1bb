package shop.platform.routes;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Processor;
import org.apache.camel.impl.engine.DefaultClassResolver;
import org.apache.camel.support.DefaultRegistry;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.Opcodes;
import org.springframework.objenesis.ObjenesisStd;

/**
 * Stand-ins for what an offline check cannot have: the service's beans (they need its database and
 * broker) and, where asked for, its classes. A bean placeholder takes the shape it is looked up as (a
 * proxy of the interface, an uninitialised instance of the class) and, looked up by name only, has
 * exactly the methods the route files call on it, so the bean language's method check still runs.
 * Nothing on a placeholder is ever invoked: routes are created, never started.
 */
final class Placeholders {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Placeholders() {
    }

    /** A registry that answers a lookup of one of the given names it cannot resolve with a placeholder. */
    static final class Registry extends DefaultRegistry {

        private final Set<String> names;
        private final Map<String, Set<String>> methods;
        private final Map<String, Object> created = new ConcurrentHashMap<>();
        private final Set<String> used = ConcurrentHashMap.newKeySet();
        private final GeneratedTypes types = new GeneratedTypes();

        Registry(Collection<String> names, Map<String, Set<String>> methods) {
            this.names = new LinkedHashSet<>(names);
            this.methods = methods;
        }

        /** Names a placeholder was handed out for. */
        Set<String> used() {
            return used;
        }

        @Override
        public Object lookupByName(String name) {
            Object found = super.lookupByName(name);
            if (found == null && names.contains(name)) {
                used.add(name);
                found = created.computeIfAbsent(name + "|", k -> untyped(name));
            }
            return found;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T lookupByNameAndType(String name, Class<T> type) {
            T found = super.lookupByNameAndType(name, type);
            if (found == null && names.contains(name)) {
                Object placeholder = type == null || type == Object.class
                        ? created.computeIfAbsent(name + "|", k -> untyped(name))
                        : created.computeIfAbsent(name + "|" + type.getName(), k -> typed(name, type));
                if (placeholder != null && (type == null || type.isInstance(placeholder))) {
                    used.add(name);
                    found = (T) placeholder;
                }
            }
            return found;
        }

        private Object untyped(String name) {
            List<Class<?>> interfaces = new ArrayList<>();
            Set<String> called = methods.getOrDefault(name, Set.of());
            if (!called.isEmpty()) {
                interfaces.add(types.withMethods(name, called));
            }
            interfaces.add(Processor.class);
            return Proxy.newProxyInstance(types, interfaces.toArray(Class<?>[]::new), handler(name));
        }
    }

    static Object typed(String name, Class<?> type) {
        if (type.isInterface()) {
            return Proxy.newProxyInstance(loaderOf(type), new Class<?>[] {type}, handler(name));
        }
        if (java.lang.reflect.Modifier.isAbstract(type.getModifiers()) || type.isPrimitive() || type.isArray()) {
            return null;
        }
        try {
            return new ObjenesisStd().newInstance(type);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A proxy of an infrastructure interface (connection factory, data source, ...). */
    @SuppressWarnings("unchecked")
    static <T> T of(String name, Class<T> type) {
        return (T) Proxy.newProxyInstance(loaderOf(type), new Class<?>[] {type}, handler(name));
    }

    private static ClassLoader loaderOf(Class<?> type) {
        return type.getClassLoader() != null ? type.getClassLoader() : Placeholders.class.getClassLoader();
    }

    private static InvocationHandler handler(String name) {
        return (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    if (method.getParameterCount() == 0) {
                        return "placeholder for bean '" + name + "'";
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                default:
                    break;
            }
            return answer(method, args);
        };
    }

    /** What a stand-in answers: a wrapper's argument back (a policy wraps a processor), else a neutral value. */
    private static Object answer(Method method, Object[] args) {
        Class<?> returns = method.getReturnType();
        if (args != null && returns != Object.class && returns != void.class) {
            for (Object arg : args) {
                if (arg != null && returns.isInstance(arg)) {
                    return arg;
                }
            }
        }
        if (returns == boolean.class) {
            return false;
        }
        if (returns == int.class || returns == short.class || returns == byte.class) {
            return 0;
        }
        if (returns == long.class) {
            return 0L;
        }
        if (returns == double.class) {
            return 0d;
        }
        if (returns == float.class) {
            return 0f;
        }
        if (returns == char.class) {
            return '\0';
        }
        return null;
    }

    /** Interfaces made up at run time, with the method names route files call on a placeholder bean. */
    static final class GeneratedTypes extends ClassLoader {

        GeneratedTypes() {
            super(Placeholders.class.getClassLoader());
        }

        Class<?> withMethods(String bean, Set<String> methodNames) {
            String simple = "Bean_" + bean.replaceAll("[^A-Za-z0-9_$]", "_") + "_" + COUNTER.incrementAndGet();
            String internal = "shop/platform/routes/placeholder/" + simple;
            ClassWriter cw = new ClassWriter(0);
            cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE, internal, null,
                    "java/lang/Object", null);
            for (String m : methodNames) {
                if (m.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
                    cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, m, "(" + "Lorg/apache/camel/Exchange;" + ")Ljava/lang/Object;",
                            null, null).visitEnd();
                }
            }
            cw.visitEnd();
            byte[] bytes = cw.toByteArray();
            return defineClass(internal.replace('/', '.'), bytes, 0, bytes.length);
        }
    }

    /** Resolves classes the check cannot see (the service's own, in a platform-only test) to a stand-in exception type. */
    static final class ClassResolver extends DefaultClassResolver {

        private final List<String> prefixes;

        ClassResolver(List<String> prefixes) {
            this.prefixes = prefixes;
        }

        @Override
        protected Class<?> loadClass(String name, ClassLoader loader) {
            Class<?> found = super.loadClass(name, loader);
            if (found == null && name != null && prefixes.stream().anyMatch(name::startsWith)) {
                return PlaceholderClass.class;
            }
            return found;
        }
    }

    /** The stand-in for a class the offline check cannot load; an exception so that it fits in doCatch/onException too. */
    public static final class PlaceholderClass extends RuntimeException {
        public PlaceholderClass() {
            super("placeholder");
        }
    }
}
