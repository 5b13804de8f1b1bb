package shop.platform.routes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.apache.camel.CamelContext;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import shop.platform.web.ApiException;
import shop.platform.web.FieldError;

/**
 * {@code POST /admin/routes/check?name=x.yaml}, a route file as the body (operators only; bin/validate-routes): the
 * check the ROUTES_DIR watcher runs before a swap, nothing loaded. 200 for any file checked, good or bad.
 */
@RestController
public class RouteCheckController {

    public record Problem(int line, String message) {
    }

    public record Checked(@Schema(example = "crm-orders.yaml") String file, boolean ok,
                          @Schema(description = "route ids the file defines") List<String> routes, List<Problem> problems) {
    }

    private final RouteChecks checks;
    private final RoutesDirectory routesDirectory;

    public RouteCheckController(CamelContext camel, RoutesDirectory routesDirectory) {
        this.checks = new RouteChecks(camel);
        this.routesDirectory = routesDirectory;
    }

    @Operation(summary = "Check a ROUTES_DIR route file as the live reload would, without loading it")
    @ApiResponse(responseCode = "200", description = "checked: ok, or every problem with its line")
    @ApiResponse(responseCode = "413", description = "the file is larger than shop.web.max-body-bytes",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Rejected")))
    @PostMapping(path = "/admin/routes/check", produces = "application/json",
            consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/octet-stream"})
    public Checked check(@Parameter(description = "the file's name, as in ROUTES_DIR") @RequestParam(name = "name") String name,
                         @RequestBody byte[] body) {
        if (!RoutesDirectory.isRouteFile(name) || name.contains("/") || name.contains("\\")) {
            throw invalid("name", "must be a file name ending in .yaml, not starting with '.', '~' or '#'");
        }
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("body", "is not UTF-8 text");
        }
        RouteFile file = RouteFile.parse(name, content);
        RouteChecks.Result result = routesDirectory != null ? routesDirectory.check(file, name) : checks.check(file, Set.of(), Map.of());
        return new Checked(name, result.ok(), result.routeIds(),
                result.problems().stream().map(p -> new Problem(p.line(), p.message())).toList());
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, Map.of("status", "REJECTED", "reason", "VALIDATION_FAILED",
                "errors", List.of(new FieldError(field, message))));
    }
}
