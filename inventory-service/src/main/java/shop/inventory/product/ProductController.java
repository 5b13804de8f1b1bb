package shop.inventory.product;

import java.net.URI;

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

import shop.platform.web.ApiException;

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

    @GetMapping("/{productId}")
    public Product get(@PathVariable String productId) {
        return products.find(productId).orElseThrow(ApiException::notFound);
    }
}
