package dev.ergate.dashboard;

/** The browser scenario on PostgreSQL (queue and store in one database, with job history). */
class PostgresDashboardBrowserTest extends DashboardBrowserScenario {

    @Override
    TestBackend openBackend() {
        return new PostgresTestBackend();
    }

    @Override
    String name() {
        return "postgres";
    }
}
