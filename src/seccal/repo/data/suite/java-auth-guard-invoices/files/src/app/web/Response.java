package app.web;

/** A minimal HTTP response. */
public record Response(int status, String body) {
    public static Response ok(String body) {
        return new Response(200, body);
    }

    public static Response status(int status) {
        return new Response(status, "");
    }
}
