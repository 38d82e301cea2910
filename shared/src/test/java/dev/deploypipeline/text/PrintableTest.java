package dev.deploypipeline.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void lineBreaksEscapesAndBidiOverridesAreWrittenOutSoTheyCannotForgeOrRestyleALogLine() {
        String hostile = "a\nb\r\u001b[2J\u202egnp.exe\t\u0000\\u000a";

        String printable = Printable.of(hostile);

        assertThat(printable)
                .isEqualTo("a\\u000ab\\u000d\\u001b[2J\\u202egnp.exe\\u0009\\u0000\\u005cu000a")
                .doesNotContain("\n", "\r", "\u001b", "\u202e", "\u0000");
    }

    @Test
    void ordinaryNamesInAnyScriptAreLeftAsTheyAre() {
        assertThat(Printable.of("assets/logo é 日本 🚀.png")).isEqualTo("assets/logo é 日本 🚀.png");
    }
}
