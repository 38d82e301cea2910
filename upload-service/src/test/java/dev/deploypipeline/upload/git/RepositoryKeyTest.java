package dev.deploypipeline.upload.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryKeyTest {

    @ParameterizedTest(name = "{0} is {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        https://github.com/acme/site           | https://github.com/acme/site.git      | true
        https://github.com/Acme/Site.git       | https://github.com/acme/site/         | true
        https://github.com:443/acme/site       | https://github.com/acme/site          | true
        http://127.0.0.1:8080/site             | http://127.0.0.1:8080/site.git        | true
        https://github.com/acme/site           | https://github.com/acme/site-preview  | false
        https://github.com/acme/site           | https://gitlab.com/acme/site          | false
        http://127.0.0.1:8080/site             | http://127.0.0.1:8081/site            | false
        """)
    void namesTheSameRepositoryWhateverItsSpelling(String project, String pushed, boolean same) {
        assertThat(RepositoryKey.of(project).equals(RepositoryKey.of(pushed))).isEqualTo(same);
    }

    @ParameterizedTest
    @CsvSource({"not a url", "mailto:someone"})
    void aValueWithoutAHostNamesNoRepository(String value) {
        assertThat(RepositoryKey.of(value)).isEmpty();
    }
}
