package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.CONTAINER_JVM_OPTIONS;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;
import static shop.systemtests.DeploymentFiles.rootPom;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The JVM options the benchmark measured (ADR 11, docs/performance.md) are the ones everything runs with: the
 * images' Jib {@code jvmFlags}, {@code bin/run}, the tests' {@link ServiceProcess}, and - relative to the 512 Mi
 * limit - the containers' {@code JAVA_TOOL_OPTIONS} ({@link ComposeFilesIT}, {@link KubernetesManifestsIT}).
 */
class JvmOptionsIT {

    @Test
    void imagesAndLocalRunsUseTheSameJvmOptionsTheBenchmarkMeasured() {
        var flags = rootPom().getElementsByTagName("jvmFlag");
        List<String> image = new ArrayList<>();
        for (int i = 0; i < flags.getLength(); i++) {
            image.add(flags.item(i).getTextContent().trim());
        }
        assertThat(image).as("Jib jvmFlags").containsAll(List.of(CONTAINER_JVM_OPTIONS.split(" ")));
        // the tests and the benchmark start services with ServiceProcess.JVM_OPTIONS
        assertThat(read(root().resolve("bin/run"))).as("bin/run's JAVA_OPTS").contains(String.join(" ", ServiceProcess.JVM_OPTIONS));
        // -Xmx256m is 50 % of the 512 Mi limit every Deployment and compose service has
        assertThat(CONTAINER_JVM_OPTIONS).contains("MaxRAMPercentage=50");
        assertThat(ServiceProcess.JVM_OPTIONS).contains("-Xmx256m");
    }
}
