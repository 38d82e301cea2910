package dev.deploypipeline.site.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler's own check, whatever the servlet container already refused in front of it. */
class RequestedPathTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/..",
                "/../x",
                "/a/../../x",
                "/%2e%2e/x",
                "/%2E%2e/x",
                "/.%2e/x",
                "/a/%2e%2e/%2e%2e/x",
                "/..%2fx",
                "/a%2F..%2F..%2Fx",
                "/..%5cx",
                "/..\\x",
                "/a\\..\\..\\x",
                "/./x",
                "/%2e/x",
                "//x",
                "/a//b",
                "/a/%00",
                "/%0d%0aSet-Cookie:x",
                "/%",
                "/%zz",
                "/%c0%ae%c0%ae/x",
                "x",
                "",
            })
    void refusesEveryPathThatCouldLeaveTheSite(String raw) {
        assertThat(RequestedPath.parse(raw)).as(raw).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "/, index.html",
        "/docs/, docs/index.html",
        "/assets/index-GpEN3EET.js, assets/index-GpEN3EET.js",
        "/caf%C3%A9.html, café.html",
        "/a%20b.txt, a b.txt",
        "/%252e%252e/x, %2e%2e/x",
    })
    void decodesOnceIntoTheFileItNames(String raw, String file) {
        assertThat(RequestedPath.parse(raw))
                .hasValueSatisfying(path -> assertThat(path.file()).isEqualTo(file));
    }

    @Test
    void aPathWithoutItsSlashMayStillNameAFolder() {
        RequestedPath docs = RequestedPath.parse("/docs").orElseThrow();

        assertThat(docs.isFolder()).isFalse();
        assertThat(docs.asFolderIndex()).isEqualTo("docs/index.html");
    }

    @Test
    void pathFitsWhenTheKeyOfItsFileIsWithinS3sLimitInUtf8Bytes() {
        String root = "dist/abcdefghijkmnop2/";
        // a file: root + name, 22 + n bytes
        assertThat(parse("/" + "a".repeat(1002)).fitsUnder(root)).isTrue();
        assertThat(parse("/" + "a".repeat(1003)).fitsUnder(root)).isFalse();
        // a folder: root + name + "/index.html"
        assertThat(parse("/" + "a".repeat(991) + "/").fitsUnder(root)).isTrue();
        assertThat(parse("/" + "a".repeat(992) + "/").fitsUnder(root)).isFalse();
        // é is two bytes
        assertThat(parse("/" + "%C3%A9".repeat(501)).fitsUnder(root)).isTrue();
        assertThat(parse("/" + "%C3%A9".repeat(502)).fitsUnder(root)).isFalse();
        assertThat(parse("/").fitsUnder(root)).isTrue();
    }

    @Test
    void pathMayNameAFolderOnlyWithoutItsSlashAndWhenTheFoldersIndexKeyWouldFit() {
        String root = "dist/abcdefghijkmnop2/";
        // root + name + "/index.html", 22 + n + 11 bytes
        assertThat(parse("/" + "a".repeat(991)).mayNameFolderUnder(root)).isTrue();
        assertThat(parse("/" + "a".repeat(992)).mayNameFolderUnder(root)).isFalse();
        assertThat(parse("/docs/").mayNameFolderUnder(root)).isFalse();
    }

    private static RequestedPath parse(String raw) {
        return RequestedPath.parse(raw).orElseThrow();
    }
}
