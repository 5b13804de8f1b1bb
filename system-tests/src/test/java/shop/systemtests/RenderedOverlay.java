package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.list;
import static shop.systemtests.DeploymentFiles.map;
import static shop.systemtests.DeploymentFiles.meta;
import static shop.systemtests.DeploymentFiles.root;
import static shop.systemtests.DeploymentFiles.str;
import static shop.systemtests.DeploymentFiles.stringMap;
import static shop.systemtests.DeploymentFiles.yamlAll;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A kustomization under {@code config/kubernetes} as {@code kubectl kustomize} renders it - what
 * {@code kubectl apply -k} would send to a cluster - with look-ups for the checks. kubectl is required: without it
 * the Kubernetes checks fail ({@code .ci/run} checks for it before the build).
 */
final class RenderedOverlay {

    /** kubectl's output per kustomization directory; parsed afresh for every {@link #render(String)}. */
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    final List<Map<String, Object>> all;

    private RenderedOverlay(List<Map<String, Object>> all) {
        this.all = all;
    }

    /** {@code dir}: relative to {@code config/kubernetes} ("base", "overlays/dev", "overlays/prod"). */
    static RenderedOverlay render(String dir) {
        Path kustomization = root().resolve("config/kubernetes").resolve(dir).normalize();
        RenderedOverlay rendered = new RenderedOverlay(yamlAll(RENDERED.computeIfAbsent(kustomization, RenderedOverlay::kubectlKustomize)));
        assertThat(rendered.all).as("kubectl kustomize " + dir + ": objects").isNotEmpty();
        return rendered;
    }

    /** The standard output of {@code kubectl kustomize <dir>}; an assertion error naming the problem otherwise. */
    static String kubectlKustomize(Path dir) {
        assertThat(dir.resolve("kustomization.yaml")).as("kustomization in " + dir).isRegularFile();
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("kustomize", ".yaml");
            err = File.createTempFile("kustomize", ".err");
            Process process;
            try {
                process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                        .redirectOutput(out).redirectError(err).start();
            } catch (IOException e) {
                throw new AssertionError("kubectl is needed to render the Kubernetes manifests (kubectl kustomize " + dir
                        + ") and could not be run: " + e.getMessage() + ". Install kubectl (a client is enough, no cluster: "
                        + "Debian/Ubuntu package kubectl, or https://kubernetes.io/docs/tasks/tools/) and put it on the PATH.", e);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish within 2 minutes");
            }
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("kubectl kustomize " + dir + " exit code; stderr:\n" + stderr).isZero();
            return Files.readString(out.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: kubectl kustomize " + dir, e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    List<Map<String, Object>> of(String kind) {
        return all.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    List<String> names(String kind) {
        return of(kind).stream().map(o -> str(meta(o).get("name"))).toList();
    }

    Map<String, Object> one(String kind, String name) {
        List<Map<String, Object>> found = of(kind).stream().filter(o -> name == null || name.equals(meta(o).get("name"))).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    Map<String, Object> container(String deployment) {
        Map<String, Object> pod = map(map(map(one("Deployment", deployment).get("spec")).get("template")).get("spec"));
        return map(list(pod.get("containers")).get(0));
    }

    /** The container's effective environment; values from Secrets read "<secret>". */
    Map<String, String> env(String deployment) {
        Map<String, String> env = new TreeMap<>();
        Map<String, Object> c = container(deployment);
        for (Object source : list(c.get("envFrom"))) {
            String configMap = str(map(map(source).get("configMapRef")).get("name"));
            stringMap(one("ConfigMap", configMap).get("data")).forEach(env::put);
        }
        for (Object e : list(c.get("env"))) {
            Map<String, Object> entry = map(e);
            Map<String, Object> from = map(entry.get("valueFrom"));
            if (entry.containsKey("value")) {
                env.put(str(entry.get("name")), str(entry.get("value")));
            } else if (from.containsKey("secretKeyRef")) {
                env.put(str(entry.get("name")), "<secret>");
            } else {
                Map<String, Object> ref = map(from.get("configMapKeyRef"));
                env.put(str(entry.get("name")), str(stringMap(one("ConfigMap", str(ref.get("name"))).get("data")).get(str(ref.get("key")))));
            }
        }
        return env;
    }

    String secretRef(String deployment, String variable) {
        for (Object e : list(container(deployment).get("env"))) {
            if (variable.equals(map(e).get("name"))) {
                return str(map(map(map(e).get("valueFrom")).get("secretKeyRef")).get("name"));
            }
        }
        return null;
    }

    /** Keys every Deployment reads from the given Secret without {@code optional: true}. */
    Set<String> secretKeys(String secret) {
        Set<String> keys = new TreeSet<>();
        for (String d : names("Deployment")) {
            for (Object e : list(container(d).get("env"))) {
                Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("secretKeyRef"));
                if (secret.equals(ref.get("name")) && !Boolean.TRUE.equals(ref.get("optional"))) {
                    keys.add(str(ref.get("key")));
                }
            }
        }
        return keys;
    }
}
