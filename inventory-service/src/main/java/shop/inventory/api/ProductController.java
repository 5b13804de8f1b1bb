package shop.inventory.api;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import shop.inventory.product.Product;
import shop.inventory.product.ProductStore;
import shop.platform.web.ApiException;
import shop.platform.web.openapi.ErrorBodies;

/**
 * The catalogue for operators (HTTP Basic, like every non-customer path): create or update a product with its
 * price and free stock, and read it back with what is reserved.
 */
@RestController
@RequestMapping(path = "/products", produces = MediaType.APPLICATION_JSON_VALUE)
public class ProductController {

    private static final Logger log = LoggerFactory.getLogger(ProductController.class);

    private final ProductStore products;

    public ProductController(ProductStore products) {
        this.products = products;
    }

    /** 201 with {@code Location} when the product is new, 200 when it was updated; the body is the product as stored. */
    @Operation(summary = "Create a product or set its price and available stock")
    @ApiResponse(responseCode = "201", description = "created; Location: /products/{productId}")
    @ApiResponse(responseCode = "200", description = "updated")
    @PutMapping(path = "/{productId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Product> put(
            @PathVariable @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String productId,
            @Valid @RequestBody ProductRequest request) {
        ProductStore.Saved saved = products.save(productId, request.name(), request.priceCents(), request.currency(),
                request.available());
        log.info("product {} {}: price {} {}, {} available", productId, saved.created() ? "created" : "updated",
                request.priceCents(), request.currency(), request.available());
        return saved.created()
                ? ResponseEntity.created(URI.create("/products/" + productId)).body(saved.product())
                : ResponseEntity.status(HttpStatus.OK).body(saved.product());
    }

    @Operation(summary = "A product with its available and reserved stock")
    @ApiResponse(responseCode = "200")
    @ApiResponse(responseCode = "404", description = "unknown product",
            content = @Content(schema = @Schema(implementation = ErrorBodies.NotFound.class)))
    @GetMapping("/{productId}")
    public Product get(@PathVariable String productId) {
        return products.find(productId).orElseThrow(ApiException::notFound);
    }
}
