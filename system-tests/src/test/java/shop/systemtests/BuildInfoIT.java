package shop.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** /actuator/info tells which build runs: version and build time (build-info), commit (git.properties). */
class BuildInfoIT extends SystemTest {

    @Test
    void everyServiceTellsItsVersionBuildTimeAndCommitToOperatorsAndViewers() {
        Path git = PrometheusRulesIT.ROOT.resolve(".git");
        for (ServiceProcess service : List.of(system.orders, system.inventory, system.payments, system.shipping)) {
            var r = Http.get(service.url() + "/actuator/info", SystemUnderTest.VIEWER);
            assertThat(r.statusCode()).as(service.name() + " " + r.body()).isEqualTo(200);
            JsonNode info = Http.json(r);
            assertThat(info.path("build").path("artifact").asText()).isEqualTo(service.name());
            assertThat(info.path("build").path("version").asText()).isEqualTo("1.0.0-SNAPSHOT");
            assertThat(info.path("build").path("time").asText()).as("build time").matches("\\d{4}-\\d\\d-\\d\\dT.*");
            if (Files.exists(git)) {
                // built from a git checkout: the commit is there (a source tarball without .git builds without it)
                assertThat(info.path("git").path("commit").path("id").asText()).as(service.name() + " commit").matches("[0-9a-f]{7,40}");
                assertThat(info.path("git").path("commit").path("time").asText()).isNotBlank();
                if (Files.isDirectory(git)) {
                    // a clone (not a linked worktree, where the plugin reads the main checkout's HEAD)
                    String head = Commands.require("git", "-C", PrometheusRulesIT.ROOT.toString(), "rev-parse", "HEAD").trim();
                    assertThat(head).as("HEAD of the checkout the jars were built from").startsWith(info.path("git").path("commit").path("id").asText());
                }
            }
            assertThat(Http.get(service.url() + "/actuator/info", SystemUnderTest.OPERATOR).statusCode()).isEqualTo(200);
            assertThat(Http.get(service.url() + "/actuator/info", null).statusCode()).isEqualTo(401);
        }
    }
}
