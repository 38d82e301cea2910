package dev.deploypipeline.deploy.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {

    private final ContentTypes contentTypes = new ContentTypes();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            index.html        | text/html; charset=utf-8
            site.css          | text/css; charset=utf-8
            app.js            | text/javascript; charset=utf-8
            module.mjs        | text/javascript; charset=utf-8
            data.json         | application/json; charset=utf-8
            app.js.map        | application/json; charset=utf-8
            logo.svg          | image/svg+xml; charset=utf-8
            robots.txt        | text/plain; charset=utf-8
            photo.PNG         | image/png
            favicon.ico       | image/vnd.microsoft.icon
            font.woff2        | font/woff2
            module.wasm       | application/wasm
            no-extension      | application/octet-stream
            """)
    void typeComesFromTheNameAndTextSaysItIsUtf8(String fileName, String contentType) {
        assertThat(contentTypes.of(fileName)).isEqualTo(contentType);
    }
}
