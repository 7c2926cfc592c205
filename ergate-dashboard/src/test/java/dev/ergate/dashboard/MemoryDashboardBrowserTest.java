package dev.ergate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.testkit.InMemoryJobAdmin;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import org.junit.jupiter.api.Test;

/** The browser scenario on the in-memory backend (the one the testkit gives unit tests). */
class MemoryDashboardBrowserTest extends DashboardBrowserScenario {

    @Override
    TestBackend openBackend() {
        InMemoryJobQueue queue = InMemoryJobQueue.create();
        InMemoryJobStore store = InMemoryJobStore.create();
        InMemoryJobAdmin admin = InMemoryJobAdmin.of(store, queue);
        return new TestBackend() {
            @Override
            public JobQueue queue() {
                return queue;
            }

            @Override
            public JobStore store() {
                return store;
            }

            @Override
            public JobAdmin admin() {
                return admin;
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    @Override
    String name() {
        return "memory";
    }

    @Test
    void aReadOnlyDashboardShowsNoButtons() {
        try (ErgateDashboard readOnly = ErgateDashboard.start(backend.admin(), backend.queueStats(),
                DashboardOptions.builder().port(0).readOnly(true).build())) {
            browser.get(readOnly.uri().resolve("/job?id=" + xss.value()).toString());
            assertThat(browser.find("#job-fields").isDisplayed()).isTrue();
            assertThat(browser.all("#job-actions button")).isEmpty();
            assertThat(browser.text("#mode")).isEqualTo("read-only");
            browser.get(readOnly.uri().resolve("/dead-letters").toString());
            assertThat(browser.all("#dead-letter-actions button")).isEmpty();
            browser.screenshot("memory-read-only");
        }
    }
}
