package dev.deploypipeline.site.serving;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;

/** The handler's own small pages, for what a site's files cannot answer. */
final class ErrorPages {

    private ErrorPages() {}

    static void noSite(HttpServletResponse response) throws IOException {
        write(response, HttpServletResponse.SC_NOT_FOUND, "Not found", "There is no site at this address.");
    }

    static void notFound(HttpServletResponse response) throws IOException {
        write(response, HttpServletResponse.SC_NOT_FOUND, "Not found", "This page could not be found.");
    }

    static void badRequest(HttpServletResponse response) throws IOException {
        write(
                response,
                HttpServletResponse.SC_BAD_REQUEST,
                "Bad request",
                "This address is not a path inside the site.");
    }

    static void uriTooLong(HttpServletResponse response) throws IOException {
        write(
                response,
                HttpServletResponse.SC_REQUEST_URI_TOO_LONG,
                "URI too long",
                "This path is too long for a site.");
    }

    static void methodNotAllowed(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
        write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Method not allowed", "A site can only be read.");
    }

    static void unavailable(HttpServletResponse response) throws IOException {
        write(
                response,
                HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                "Unavailable",
                "The site cannot be served right now; try again shortly.");
    }

    private static void write(HttpServletResponse response, int status, String title, String message)
            throws IOException {
        byte[] page = """
                <!doctype html>
                <html lang="en"><meta charset="utf-8"><title>%d %s</title>
                <body style="font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 32rem">
                <h1>%d %s</h1><p>%s</p></body></html>
                """.formatted(status, title, status, title, message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
