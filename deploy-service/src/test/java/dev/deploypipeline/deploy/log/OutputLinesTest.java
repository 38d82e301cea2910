package dev.deploypipeline.deploy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLinesTest {

    @Test
    void splitsOnLineBreaksAndDropsCarriageReturns() throws IOException {
        assertThat(lines("first\r\nsecond\n\nlast without a break"))
                .containsExactly("first", "second", "", "last without a break");
    }

    @Test
    void longLineComesInPiecesNoneLongerThanTheMaximum() throws IOException {
        String long_ = "x".repeat(OutputLines.MAX_LINE_BYTES * 2 + 10);

        List<String> pieces = lines(long_ + "\nafter");

        assertThat(pieces).hasSize(4);
        assertThat(String.join("", pieces.subList(0, 3))).isEqualTo(long_);
        assertThat(pieces)
                .allSatisfy(piece -> assertThat(piece.length()).isLessThanOrEqualTo(OutputLines.MAX_LINE_BYTES));
        assertThat(pieces.get(3)).isEqualTo("after");
    }

    @Test
    void pieceIsNeverCutInsideACharacter() throws IOException {
        String text = "é".repeat(OutputLines.MAX_LINE_BYTES) + "ü€😀".repeat(1000);

        List<String> pieces = lines(text);

        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).noneMatch(piece -> piece.contains("\uFFFD"));
        assertThat(pieces)
                .allSatisfy(piece -> assertThat(piece.getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(OutputLines.MAX_LINE_BYTES));
    }

    private static List<String> lines(String output) throws IOException {
        List<String> lines = new ArrayList<>();
        OutputLines.read(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), lines::add);
        return lines;
    }
}
