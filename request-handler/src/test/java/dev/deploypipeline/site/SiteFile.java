package dev.deploypipeline.site;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A file of a built site, with the Content-Type a real build stores it with. */
public record SiteFile(String path, String contentType, byte[] content) {

    public static final String HTML = "text/html; charset=utf-8";
    public static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    public static final String CSS = "text/css; charset=utf-8";
    public static final String SVG = "image/svg+xml";
    public static final String PNG = "image/png";

    public static SiteFile html(String path, String content) {
        return text(path, HTML, content);
    }

    public static SiteFile text(String path, String contentType, String content) {
        return new SiteFile(path, contentType, content.getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** What {@code npm create vite} with the React template builds, file names and types as Vite writes them. */
    public static List<SiteFile> viteBuild(String title) {
        return List.of(
                html("index.html", """
                        <!doctype html>
                        <html lang="en">
                          <head>
                            <meta charset="UTF-8" />
                            <link rel="icon" type="image/svg+xml" href="/vite.svg" />
                            <title>%s</title>
                            <script type="module" crossorigin src="/assets/index-GpEN3EET.js"></script>
                            <link rel="stylesheet" crossorigin href="/assets/index-D8b4DwTb.css">
                          </head>
                          <body><div id="root"></div></body>
                        </html>
                        """.formatted(title)),
                text(
                        "assets/index-GpEN3EET.js",
                        JAVASCRIPT,
                        "(function(){const e=document.getElementById(\"root\");})();\n"),
                text("assets/index-D8b4DwTb.css", CSS, ":root{font-family:Inter,system-ui}#root{margin:0 auto}\n"),
                text("vite.svg", SVG, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\" height=\"32\"/>"),
                text("assets/react-CHdo91hT.svg", SVG, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"/>"),
                new SiteFile("favicon.png", PNG, png()));
    }

    /** Bytes that are not text: a PNG signature followed by every byte value. */
    private static byte[] png() {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        byte[] content = new byte[signature.length + 256];
        System.arraycopy(signature, 0, content, 0, signature.length);
        for (int i = 0; i < 256; i++) {
            content[signature.length + i] = (byte) i;
        }
        return content;
    }
}
