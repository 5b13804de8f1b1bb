package shop.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The JSON Schema of each message type, from {@code contracts/messages/}. The files are registered under one base
 * IRI, so that their relative {@code $ref}s ({@code defs.schema.json}, {@code envelope.schema.json}) resolve among
 * them and nothing is fetched.
 */
public final class MessageSchemas {

    private static final String BASE = "https://shop.example/contracts/messages/";

    /** Each message's schema by its type ({@code inventory.reserve}, ...), read from {@code folder}. */
    public static Map<String, Schema> load(Path folder) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.toList()) {
                files.put(BASE + file.getFileName(), Files.readString(file));
            }
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemas(files));
        Map<String, Schema> schemas = new HashMap<>();
        for (String iri : files.keySet()) {
            String name = iri.substring(BASE.length()).replace(".schema.json", "");
            if (!name.equals("envelope") && !name.equals("defs")) {
                schemas.put(name, registry.getSchema(SchemaLocation.of(iri)));
            }
        }
        return schemas;
    }

    private MessageSchemas() {
    }
}
