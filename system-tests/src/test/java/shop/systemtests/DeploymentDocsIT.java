package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/deployment.md says what the files do: running, scaling, rolling upgrades, the Jib configuration, and the
 * {@code kubectl create secret} of {@code shop-secrets} with every key the prod overlay's Deployments require (as
 * {@code kubectl kustomize} renders it, {@link RenderedOverlay}).
 */
class DeploymentDocsIT {

    @Test
    void deploymentDocumentCoversRunningScalingRollingAndImages() {
        String doc = read(root().resolve("docs/deployment.md"));
        assertThat(doc).contains("cp .env.example .env", "docker compose up", "kubectl apply -k config/kubernetes/overlays/prod",
                "CloudNativePG", "RabbitMQ Cluster Operator", "ingress-nginx", "SKIP LOCKED", "quorum", "classic");
        // the Jib configuration the root pom is to carry
        assertThat(doc).contains("<artifactId>jib-maven-plugin</artifactId>", "<version>3.5.2</version>",
                "<image>eclipse-temurin:17-jre</image>", "<user>65532", "-XX:MaxRAMPercentage=50", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError", "<image>shop/${project.artifactId}:${project.version}</image>", "jib:buildTar");
        // every key the Deployments read from shop-secrets is in the documented kubectl create secret
        RenderedOverlay r = RenderedOverlay.render("overlays/prod");
        Matcher create = Pattern.compile("kubectl[^\\n]*create secret generic shop-secrets((?:[^\\n]*\\\\\\n)*[^\\n]*)").matcher(doc);
        assertThat(create.find()).as("docs/deployment.md: kubectl create secret generic shop-secrets ...").isTrue();
        for (String key : r.secretKeys("shop-secrets")) {
            assertThat(create.group(0)).as("docs create shop-secrets with " + key).contains("--from-literal=" + key + "=");
        }
    }
}
