package dev.ergate.spring.boot;

import static dev.ergate.spring.boot.ErgateAutoConfigurationTest.awaitFinal;
import static dev.ergate.spring.boot.ErgateAutoConfigurationTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.Job;
import dev.ergate.JobStatus;
import dev.ergate.jdbc.JdbcBackend;
import dev.ergate.jdbc.JdbcJobQueue;
import dev.ergate.jdbc.JdbcJobStore;
import dev.ergate.redis.RedisBackend;
import dev.ergate.redis.RedisJobQueue;
import dev.ergate.redis.RedisJobStore;
import dev.ergate.runtime.ErgateClient;
import dev.ergate.spi.JobAdmin;
import dev.ergate.spi.JobQueue;
import dev.ergate.sqs.SqsJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each real backend through the auto-configuration: Redis, PostgreSQL (two ways), SQS. */
class BackendAutoConfigurationTest {

    private static SQSRestServer sqs;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, ErgateHealthAutoConfiguration.class))
            .withUserConfiguration(TestWorkflows.class)
            .withPropertyValues("ergate.worker.concurrency=2", "ergate.worker.poll-timeout=100ms");

    @AfterAll
    static void stopSqs() {
        if (sqs != null) {
            sqs.stopAndWait();
        }
    }

    private static void runsAJob(ErgateClient client) {
        Job job = awaitFinal(client, client.submit("priced", new TestWorkflows.Order("o-1", 4)));
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.lastReturnValue().asText()).isEqualTo("total 40");
    }

    @Test
    void redis() {
        String namespace = Services.randomName("spring-test-");
        String uri = Services.redisUri();
        try {
            redisRuns(uri, namespace);
        } finally {
            Services.deleteRedisNamespace(uri, namespace);
        }
    }

    private void redisRuns(String uri, String namespace) {
        runner.withPropertyValues("ergate.backend=redis", "ergate.redis.uri=" + uri,
                "ergate.redis.namespace=" + namespace, "ergate.dialect=python-2025").run(context -> {
            assertThat(context).hasSingleBean(RedisBackend.class).hasSingleBean(RedisJobQueue.class)
                    .hasSingleBean(RedisJobStore.class);
            assertThat(context.getBean(RedisBackend.class).options().namespace()).isEqualTo(namespace);
            assertThat(context.getBean(JobAdmin.class)).isInstanceOf(dev.ergate.redis.RedisJobAdmin.class);
            assertThat(context.getBean(RedisBackend.class).options().codec().dialect())
                    .isEqualTo(dev.ergate.StatusDialect.PYTHON_2025);
            runsAJob(context.getBean(ErgateClient.class));
            Health health = context.getBean(ErgateHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void redisWithABadUriFailsNamingThePropertyWithoutThePassword() {
        runner.withPropertyValues("ergate.backend=redis", "ergate.redis.uri=http://user:secret@host:1/0")
                .run(context -> assertThat(failure(context)).contains("ergate.redis.uri").doesNotContain("secret"));
    }

    @Test
    void postgresOnTheApplicationsDataSourceInItsOwnSchema() throws Exception {
        String url = Services.postgresJdbcUrl();
        String schema = Services.randomName("spring_test_");
        try {
            runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                    .withPropertyValues("ergate.backend=postgres", "spring.datasource.url=" + url,
                    "ergate.postgres.schema=" + schema, "ergate.postgres.table-prefix=app_").run(context -> {
                assertThat(context).hasSingleBean(JdbcBackend.class).hasSingleBean(JdbcJobQueue.class)
                        .hasSingleBean(JdbcJobStore.class);
                assertThat(context.getBean(JdbcBackend.class).dataSource())
                        .isSameAs(context.getBean(javax.sql.DataSource.class));
                assertThat(context.getBean(JobAdmin.class)).isInstanceOf(dev.ergate.jdbc.JdbcJobAdmin.class);
                runsAJob(context.getBean(ErgateClient.class));
                assertThat(context.getBean(ErgateHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
            });
            assertThat(tablesIn(url, schema)).contains("app_jobs", "app_queue");
        } finally {
            Services.dropSchema(url, schema);
        }
    }

    @Test
    void dashboardOverThePostgresAdmin() throws Exception {
        String url = Services.postgresJdbcUrl();
        String schema = Services.randomName("spring_test_");
        try {
            runner.withConfiguration(AutoConfigurations.of(ErgateDashboardAutoConfiguration.class))
                    .withPropertyValues("ergate.backend=postgres", "ergate.postgres.uri=" + url,
                            "ergate.postgres.schema=" + schema, "ergate.dashboard.enabled=true", "ergate.dashboard.port=0")
                    .run(context -> {
                        java.net.URI jobs = context.getBean(ErgateDashboardLifecycle.class).uri().resolve("/jobs");
                        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                                java.net.http.HttpRequest.newBuilder(jobs).GET().build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        assertThat(page.statusCode()).isEqualTo(200);
                    });
        } finally {
            Services.dropSchema(url, schema);
        }
    }

    @Test
    void postgresWithoutMigrationsLeavesTheSchemaToTheApplication() throws Exception {
        String url = Services.postgresJdbcUrl();
        String schema = Services.randomName("spring_test_");
        try {
            runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                    .withPropertyValues("ergate.backend=postgres", "spring.datasource.url=" + url,
                    "ergate.postgres.schema=" + schema, "ergate.postgres.migrate-on-start=false",
                    "ergate.worker.enabled=false").run(context -> assertThat(context).hasNotFailed());
            assertThat(tablesIn(url, schema)).isEmpty();
        } finally {
            Services.dropSchema(url, schema);
        }
    }

    @Test
    void postgresOfItsOwnFromAUri() throws Exception {
        String url = Services.postgresJdbcUrl();
        String schema = Services.randomName("spring_test_");
        try {
            runner.withPropertyValues("ergate.backend=postgres", "ergate.postgres.uri=" + url,
                    "ergate.postgres.schema=" + schema).run(context -> {
                assertThat(context).doesNotHaveBean(javax.sql.DataSource.class);
                runsAJob(context.getBean(ErgateClient.class));
            });
        } finally {
            Services.dropSchema(url, schema);
        }
    }

    @Test
    void postgresWithoutADataSourceOrUriFailsNamingTheUri() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class))
                .withPropertyValues("ergate.backend=postgres")
                .run(context -> assertThat(failure(context)).contains("ergate.postgres.uri", "DataSource"));
    }

    @Test
    void postgresWithABadTablePrefixFailsNamingIt() {
        runner.withPropertyValues("ergate.backend=postgres", "ergate.postgres.uri=jdbc:postgresql://127.0.0.1:1/x",
                "ergate.postgres.table-prefix=Bad-Prefix")
                .run(context -> assertThat(failure(context)).contains("ergate.postgres.table-prefix"));
    }

    @Test
    void sqsWithAnInMemoryStore() {
        runner.withPropertyValues("ergate.backend=sqs", "ergate.sqs.store=memory",
                "ergate.sqs.uri=" + sqsQueueUri()).run(context -> {
            assertThat(context).hasSingleBean(SqsJobQueue.class).hasSingleBean(InMemoryJobStore.class);
            assertThat(context.getBean(JobAdmin.class)).isInstanceOf(dev.ergate.sqs.SqsJobAdmin.class);
            assertThat(context.getBean(SqsJobQueue.class).queueOptions().leaseTime()).hasSeconds(30);
            runsAJob(context.getBean(ErgateClient.class));
        });
    }

    @Test
    void sqsWithARedisStore() {
        String uri = Services.redisUri();
        String namespace = Services.randomName("spring-test-");
        try {
            runner.withPropertyValues("ergate.backend=sqs", "ergate.sqs.store=redis", "ergate.lease=20s",
                    "ergate.redis.uri=" + uri, "ergate.redis.namespace=" + namespace,
                    "ergate.sqs.uri=" + sqsQueueUri()).run(context -> {
                assertThat(context).hasSingleBean(SqsJobQueue.class).hasSingleBean(RedisJobStore.class)
                        .doesNotHaveBean(RedisJobQueue.class);
                assertThat(context.getBean(JobAdmin.class)).isInstanceOf(dev.ergate.sqs.SqsJobAdmin.class);
                assertThat(context.getBean(SqsJobQueue.class).queueOptions().leaseTime()).hasSeconds(20);
                runsAJob(context.getBean(ErgateClient.class));
            });
        } finally {
            Services.deleteRedisNamespace(uri, namespace);
        }
    }

    @Test
    void sqsWithAPostgresStoreOnTheApplicationsDataSource() throws Exception {
        String url = Services.postgresJdbcUrl();
        String schema = Services.randomName("spring_test_");
        try {
            runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                    .withPropertyValues("ergate.backend=sqs", "ergate.sqs.store=postgres", "ergate.sqs.uri=" + sqsQueueUri(),
                            "spring.datasource.url=" + url, "ergate.postgres.schema=" + schema).run(context -> {
                assertThat(context).hasSingleBean(SqsJobQueue.class).hasSingleBean(JdbcJobStore.class)
                        .doesNotHaveBean(JdbcJobQueue.class);
                assertThat(context.getBean(JobAdmin.class)).isInstanceOf(dev.ergate.sqs.SqsJobAdmin.class);
                runsAJob(context.getBean(ErgateClient.class));
            });
        } finally {
            Services.dropSchema(url, schema);
        }
    }

    @Test
    void twoQueueBeansWithoutAPrimaryFailSayingSo() {
        runner.withBean(dev.ergate.testkit.InMemoryJobStore.class, dev.ergate.testkit.InMemoryJobStore::create)
                .withBean("one", JobQueue.class, dev.ergate.testkit.InMemoryJobQueue::create)
                .withBean("two", JobQueue.class, dev.ergate.testkit.InMemoryJobQueue::create)
                .run(context -> assertThat(failure(context)).contains("more than one JobQueue bean", "@Primary"));
    }

    @Test
    void sqsWithoutAStoreOrUriFailsNamingTheProperty() {
        runner.withPropertyValues("ergate.backend=sqs", "ergate.sqs.uri=sqs://x")
                .run(context -> assertThat(failure(context)).contains("ergate.sqs.store"));
        runner.withPropertyValues("ergate.backend=sqs", "ergate.sqs.store=memory")
                .run(context -> assertThat(failure(context)).contains("ergate.sqs.uri"));
    }

    private static synchronized String sqsQueueUri() {
        if (sqs == null) {
            sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        }
        int port = sqs.waitUntilStarted().localAddress().getPort();
        return "sqs://" + Services.randomName("spring-") + "?endpoint=http://127.0.0.1:" + port
                + "&credentials=anonymous&create=true&region=us-east-1";
    }

    private static java.util.List<String> tablesIn(String url, String schema) throws Exception {
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select table_name from information_schema.tables where table_schema = '" + schema + "'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
