package dev.deploypipeline.system;

import dev.deploypipeline.testing.TestRepository;

/**
 * One repository with a branch per site; each site's npm build waits a while, then writes
 * {@code dist/index.html} with its own message, so a finished deployment shows which build made it.
 */
final class SlowSites {

    private SlowSites() {}

    static void create(LocalPipeline pipeline, String name, int count, int buildMillis) {
        TestRepository repository = pipeline.git()
                .repository(name)
                .file("package.json", """
                        {"name": "slow-site", "version": "1.0.0", "scripts": {"build": "node build.js"}}
                        """)
                .file("build.js", """
                        const fs = require('fs');
                        const message = fs.readFileSync('message.txt', 'utf8');
                        setTimeout(() => {
                          fs.mkdirSync('dist', { recursive: true });
                          fs.writeFileSync('dist/index.html', '<h1>' + message + '</h1>');
                        }, %d);
                        """.formatted(buildMillis))
                .file("message.txt", "site 0");
        repository.commit("site 0");
        for (int i = 1; i < count; i++) {
            repository.branch("site-" + i).file("message.txt", "site " + i).commit("site " + i);
        }
    }

    static String ref(int site) {
        return site == 0 ? "main" : "site-" + site;
    }

    static String expectedIndex(int site) {
        return "<h1>site " + site + "</h1>";
    }
}
