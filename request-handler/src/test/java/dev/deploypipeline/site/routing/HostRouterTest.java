package dev.deploypipeline.site.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.autoconfigure.BaseDomain;
import org.junit.jupiter.api.Test;

class HostRouterTest {

    private static final String ID = "abcdefghijkmnop2";

    private final HostRouter localhost = new HostRouter(new BaseDomain("localhost"));
    private final HostRouter example = new HostRouter(new BaseDomain(".Example.com."));

    @Test
    void labelBeforeTheBaseDomainNamesADeploymentOrAProject() {
        assertThat(localhost.siteLabel(ID + ".localhost")).contains(ID);
        assertThat(localhost.siteLabel("shop.localhost")).contains("shop");
        assertThat(example.siteLabel("shop.example.com")).contains("shop");
    }

    @Test
    void caseAndATrailingDotDoNotMatter() {
        assertThat(localhost.siteLabel(ID.toUpperCase() + ".LOCALHOST.")).contains(ID);
        assertThat(example.siteLabel("Shop.EXAMPLE.com")).contains("shop");
    }

    @Test
    void hostsThatNameNoSiteHaveNoLabel() {
        assertThat(localhost.siteLabel("localhost")).isEmpty();
        assertThat(localhost.siteLabel("127.0.0.1")).isEmpty();
        assertThat(localhost.siteLabel(null)).isEmpty();
        assertThat(localhost.siteLabel("shop.example.com")).isEmpty();
        assertThat(localhost.siteLabel("a.shop.localhost")).isEmpty();
        assertThat(localhost.siteLabel("shoplocalhost")).isEmpty();
        assertThat(localhost.siteLabel("under_score.localhost")).isEmpty();
        assertThat(example.siteLabel("shop.example.com.evil.org")).isEmpty();
        assertThat(example.siteLabel("shop.notexample.com")).isEmpty();
    }

    @Test
    void everyHostUnderTheBaseDomainIsASitesHostEvenWhenItNamesNoSite() {
        for (String host : new String[] {
            ID + ".localhost", "a".repeat(64) + ".localhost", "x.y.localhost", "X.Y.LocalHost.", "under_score.localhost"
        }) {
            assertThat(localhost.isUnderBaseDomain(host)).as(host).isTrue();
        }
        assertThat(example.isUnderBaseDomain("a.b.EXAMPLE.com.")).isTrue();
    }

    @Test
    void operatorHostsAreNotUnderTheBaseDomain() {
        for (String host : new String[] {"localhost", "LOCALHOST.", "127.0.0.1", "shoplocalhost", "shop.example.com"}) {
            assertThat(localhost.isUnderBaseDomain(host)).as(host).isFalse();
        }
        assertThat(localhost.isUnderBaseDomain(null)).isFalse();
        assertThat(example.isUnderBaseDomain("example.com")).isFalse();
        assertThat(example.isUnderBaseDomain("shop.example.com.evil.org")).isFalse();
    }
}
