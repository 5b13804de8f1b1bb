package shop.platform.security;

import java.util.List;

/** Paths (GET only) that a read-only viewer may see beside operators; a service or console contributes them. */
public record OperatorReadPaths(List<String> patterns) {
}
