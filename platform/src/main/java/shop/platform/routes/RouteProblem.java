package shop.platform.routes;

/** One thing wrong with a route file: {@code file:line: message}, the form compilers use (editors and CI logs jump to it). */
public record RouteProblem(String file, int line, String message) {

    public RouteProblem {
        line = Math.max(line, 1);
        message = message == null ? "unknown error" : message.strip();
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
