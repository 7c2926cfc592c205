package dev.ergate.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.spring.boot.ErgateDashboardLifecycle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** The sample's default profile: in memory, with the dashboard beside it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.step-time=10ms", "ergate.worker.poll-timeout=100ms", "ergate.dashboard.port=0"})
@DirtiesContext
class OrderApplicationMemoryTest extends OrderOverHttpContract {

    @Autowired
    ErgateDashboardLifecycle dashboard;

    @Test
    void theDashboardRunsBesideTheApp() throws Exception {
        assertThat(SampleServices.get(dashboard.uri().toString()).statusCode()).isEqualTo(200);
    }
}
