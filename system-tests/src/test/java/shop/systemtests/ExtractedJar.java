package shop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A service jar unpacked with Spring Boot's {@code -Djarmode=tools extract} ({@code target/extracted/}), which
 * starts in about half the time of the nested-jar launch (docs/performance.md); {@code bin/run} and the images
 * run the same exploded layout. Extracted again whenever the jar is newer than the extraction.
 */
public final class ExtractedJar {

    public static synchronized Path of(Path jar) {
        Path dir = jar.resolveSibling("extracted");
        Path extracted = dir.resolve(jar.getFileName());
        try {
            FileTime built = Files.getLastModifiedTime(jar);
            if (Files.exists(extracted) && !Files.getLastModifiedTime(extracted).toInstant().isBefore(built.toInstant())) {
                return extracted;
            }
            delete(dir);
            Commands.require(ServiceProcess.javaBin(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", dir.toString());
            Files.setLastModifiedTime(extracted, built);
            return extracted;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + jar, e);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private ExtractedJar() {
    }
}
