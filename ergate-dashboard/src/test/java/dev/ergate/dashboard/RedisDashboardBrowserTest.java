package dev.ergate.dashboard;

/** The browser scenario on Redis (queue and store from one backend). */
class RedisDashboardBrowserTest extends DashboardBrowserScenario {

    @Override
    TestBackend openBackend() {
        return new RedisTestBackend();
    }

    @Override
    String name() {
        return "redis";
    }
}
