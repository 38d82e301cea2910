package dev.deploypipeline.upload.access;

/**
 * The one path pattern of static files served to anyone, token or not: the dashboard's scripts, styles and icons.
 * They hold no data (the page asks for a token before it calls the API), and the page cannot ask for a token
 * without them. Every other static path, like every path nothing maps, needs {@code read}.
 */
public final class PublicAssets {

    public static final String PATTERN = "/assets/**";

    private PublicAssets() {}
}
