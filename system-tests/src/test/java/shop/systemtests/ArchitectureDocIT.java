package shop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.systemtests.DeploymentFiles.read;
import static shop.systemtests.DeploymentFiles.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md walks one order through the code with a link to the line of each step. A link that no longer
 * points where its text says is worse than none: every link's file exists, and a link to a line ({@code #L<n>})
 * whose text names code in backticks finds that name on that line.
 */
class ArchitectureDocIT {

    private static final Path DOC = root().resolve("docs/architecture.md");
    /** {@code [text](path)} or {@code [text](path#L12)}; external links (with a scheme) are not checked. */
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\((?![a-z]+:)([^)#\\s]+)(?:#L(\\d+))?\\)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyLinkPointsWhereItsTextSays() throws IOException {
        String doc = read(DOC);
        List<String> problems = new ArrayList<>();
        int links = 0;
        Matcher m = LINK.matcher(doc);
        while (m.find()) {
            links++;
            Path target = DOC.getParent().resolve(m.group(2)).normalize();
            if (!Files.exists(target)) {
                problems.add(m.group() + ": no such file " + root().relativize(target));
                continue;
            }
            if (m.group(3) == null) {
                continue;
            }
            List<String> lines = Files.readAllLines(target);
            int line = Integer.parseInt(m.group(3));
            if (line < 1 || line > lines.size()) {
                problems.add(m.group() + ": " + root().relativize(target) + " has " + lines.size() + " lines");
                continue;
            }
            Matcher code = CODE.matcher(m.group(1));
            while (code.find()) {
                String name = code.group(1).replaceAll("\\(.*\\)$", "").replaceAll("^.*[.#]", "");
                if (!lines.get(line - 1).contains(name)) {
                    problems.add(m.group() + ": line " + line + " is '" + lines.get(line - 1).strip() + "', without " + name);
                }
            }
        }
        assertThat(links).as("links in docs/architecture.md").isGreaterThan(20);
        assertThat(problems).as("links of docs/architecture.md").isEmpty();
    }
}
