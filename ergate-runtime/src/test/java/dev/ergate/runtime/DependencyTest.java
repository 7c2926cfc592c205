package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Provides;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DependencyTest {

    /** Records creation and closing, in order. */
    static final class Log {
        final List<String> events = new CopyOnWriteArrayList<>();
    }

    static final class Pool implements AutoCloseable {
        final Log log;

        Pool(Log log) {
            this.log = log;
            log.events.add("open pool");
        }

        @Override
        public void close() {
            log.events.add("close pool");
        }
    }

    static final class Connection implements AutoCloseable {
        final Log log;
        final Pool pool;

        Connection(Log log, Pool pool) {
            this.log = log;
            this.pool = pool;
            log.events.add("open connection");
        }

        @Override
        public void close() {
            log.events.add("close connection");
        }
    }

    static final class Repository implements AutoCloseable {
        final Connection connection;
        final String tenant;
        final Log log;

        Repository(Log log, Connection connection, String tenant) {
            this.log = log;
            this.connection = connection;
            this.tenant = tenant;
            log.events.add("open repository for " + tenant);
        }

        @Override
        public void close() {
            log.events.add("close repository");
        }
    }

    record Tenant(String name) {
    }

    @ErgateWorkflow("deps")
    static final class DepsWorkflow {
        final Log log;
        final boolean fail;

        DepsWorkflow(Log log, boolean fail) {
            this.log = log;
            this.fail = fail;
        }

        @Provides
        Pool pool() {
            return new Pool(log);
        }

        @Provides
        Connection connection(@Depends Pool pool) {
            return new Connection(log, pool);
        }

        @Provides
        Repository repository(@Depends Connection connection, @UserContext Tenant tenant) {
            return new Repository(log, connection, tenant.name());
        }

        @Step(order = 1)
        String use(@Input String in, @Depends Repository repository, @Depends Connection connection, @Depends Pool pool) {
            // the same connection and pool reach the step and the repository: created once
            assertThat(repository.connection).isSameAs(connection);
            assertThat(connection.pool).isSameAs(pool);
            log.events.add("step runs");
            if (fail) {
                throw new IllegalStateException("step broke");
            }
            return in + "@" + repository.tenant;
        }
    }

    private static Job job() {
        return Job.builder().workflowName("deps").initialInputValue(TextNode.valueOf("x"))
                .userContext(JobRunner.defaultObjectMapper().valueToTree(new Tenant("acme"))).build();
    }

    @Test
    void dependenciesOfAnyDepthAreCreatedOnceAndClosedInReverseOrder() {
        Log log = new Log();
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.fromAnnotated(new DepsWorkflow(log, false)));
        StepResult result = runner.runStep(job());
        assertThat(result.state().orElseThrow().lastReturnValue().textValue()).isEqualTo("x@acme");
        assertThat(log.events).containsExactly("open pool", "open connection", "open repository for acme",
                "step runs", "close repository", "close connection", "close pool");
    }

    @Test
    void dependenciesAreClosedAlsoWhenTheStepThrows() {
        Log log = new Log();
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.fromAnnotated(new DepsWorkflow(log, true)));
        StepResult result = runner.runStep(job());
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(log.events).endsWith("step runs", "close repository", "close connection", "close pool");
    }

    @Test
    void eachStepExecutionGetsItsOwnInstances() {
        Log log = new Log();
        JobRunner runner = JobRunner.builder().build();
        runner.register(Workflow.fromAnnotated(new DepsWorkflow(log, false)));
        runner.runStep(job());
        runner.runStep(job());
        assertThat(log.events.stream().filter("open pool"::equals)).hasSize(2);
        assertThat(log.events.stream().filter("close pool"::equals)).hasSize(2);
    }

    @Test
    void singletonsAreSharedAndNeverClosedAndFactoriesMayUseOtherDependencies() {
        Log log = new Log();
        Pool shared = new Pool(log);
        AtomicInteger factories = new AtomicInteger();
        Dependencies app = Dependencies.builder()
                .singleton(Pool.class, shared)
                .perStep(Connection.class, ctx -> {
                    factories.incrementAndGet();
                    return new Connection(log, ctx.dependency(Pool.class));
                })
                .build();
        JobRunner runner = JobRunner.builder().dependencies(app).build();
        runner.register(Workflow.builder("lambda")
                .step("a", JsonNode.class, (in, ctx) -> {
                    Connection first = ctx.dependency(Connection.class);
                    assertThat(ctx.dependency(Connection.class)).isSameAs(first);
                    assertThat(first.pool).isSameAs(shared);
                    return "ok";
                })
                .build());
        runner.runStep(Job.of("lambda"));
        runner.runStep(Job.of("lambda"));
        assertThat(factories).hasValue(2);
        assertThat(log.events).containsExactly("open pool", "open connection", "close connection",
                "open connection", "close connection");
    }

    @Test
    void aWorkflowsOwnDependencyWinsOverTheAppsOne() {
        Dependencies app = Dependencies.builder().singleton(String.class, "app").build();
        Dependencies own = Dependencies.builder().singleton(String.class, "own").build();
        JobRunner runner = JobRunner.builder().dependencies(app).build();
        runner.register(Workflow.builder("w").dependencies(own)
                .step("a", JsonNode.class, (in, ctx) -> ctx.dependency(String.class)).build());
        runner.register(Workflow.builder("v")
                .step("a", JsonNode.class, (in, ctx) -> ctx.dependency(String.class)).build());
        assertThat(runner.runStep(Job.of("w")).state().orElseThrow().lastReturnValue().textValue()).isEqualTo("own");
        assertThat(runner.runStep(Job.of("v")).state().orElseThrow().lastReturnValue().textValue()).isEqualTo("app");
    }

    @Test
    void aMissingOrCyclicLambdaDependencyFailsTheJobWithAClearMessage() {
        Dependencies cyclic = Dependencies.builder()
                .perStep(Pool.class, ctx -> {
                    ctx.dependency(Connection.class);
                    return new Pool(new Log());
                })
                .perStep(Connection.class, ctx -> new Connection(new Log(), ctx.dependency(Pool.class)))
                .build();
        JobRunner runner = JobRunner.builder().dependencies(cyclic).build();
        runner.register(Workflow.builder("cyc").step("a", JsonNode.class, (in, ctx) -> ctx.dependency(Pool.class)).build());
        runner.register(Workflow.builder("missing").step("a", JsonNode.class, (in, ctx) -> ctx.dependency(Log.class)).build());
        StepResult cycle = runner.runStep(Job.of("cyc"));
        assertThat(cycle.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(cycle.state().orElseThrow().exceptionTraceback()).contains("cycle", "DependencyTest$Pool -> ");
        StepResult missing = runner.runStep(Job.of("missing"));
        assertThat(missing.state().orElseThrow().exceptionTraceback())
                .contains("step 'a' of workflow 'missing' needs a dependency of type", "DependencyTest$Log");
    }

    @Test
    void aFailingProviderFailsTheStepNamingTheProvider() {
        JobRunner runner = JobRunner.builder()
                .dependencies(Dependencies.builder().perStep(Pool.class, ctx -> {
                    throw new IllegalStateException("no database");
                }).build())
                .build();
        runner.register(Workflow.builder("w").step("a", JsonNode.class, (in, ctx) -> ctx.dependency(Pool.class)).build());
        StepResult result = runner.runStep(Job.of("w"));
        assertThat(result.state().orElseThrow().exceptionTraceback()).contains("factory of", "Pool", "no database");
    }

    @Test
    void appLevelProvidersFromAnObjectWork() {
        Object holder = new Object() {
            @Provides
            Tenant tenant(@UserContext Tenant fromJob) {
                return new Tenant(fromJob.name().toUpperCase(java.util.Locale.ROOT));
            }
        };
        JobRunner runner = JobRunner.builder().dependencies(Dependencies.builder().providers(holder).build()).build();
        runner.register(Workflow.builder("w")
                .step("a", JsonNode.class, (in, ctx) -> ctx.dependency(Tenant.class).name()).build());
        Job job = Job.builder().workflowName("w")
                .userContext(JobRunner.defaultObjectMapper().valueToTree(new Tenant("acme"))).build();
        assertThat(runner.runStep(job).state().orElseThrow().lastReturnValue().textValue()).isEqualTo("ACME");
    }

    @ErgateWorkflow("looked_up")
    static final class LooksUp {
        @Step(order = 1)
        String use(@Depends Pool pool, StepContext ctx) {
            return "pool " + (pool == ctx.dependency(Pool.class)) + ", " + ctx.dependency(String.class);
        }
    }

    @Test
    void aFallbackLookupSuppliesWhatNoRegistrationProvidesAndNothingItGivesIsClosed() {
        Log log = new Log();
        Pool pool = new Pool(log);
        DependencyLookup container = new DependencyLookup() {
            @Override
            public boolean provides(java.lang.reflect.Type type) {
                return type == Pool.class || type == String.class;
            }

            @Override
            public Object get(java.lang.reflect.Type type) {
                return type == Pool.class ? pool : "from the container";
            }
        };
        Dependencies app = Dependencies.builder().singleton(String.class, "registered").fallback(container).build();
        JobRunner runner = JobRunner.builder().dependencies(app).build();
        runner.register(Workflow.fromAnnotated(new LooksUp()));   // @Depends Pool: checked against the lookup
        StepResult result = runner.runStep(Job.of("looked_up"));
        assertThat(result.state().orElseThrow().lastReturnValue().textValue()).isEqualTo("pool true, registered");
        assertThat(log.events).containsExactly("open pool");       // the container's, never closed by Ergate
    }

    @Test
    void withoutAFallbackAnUnregisteredDependencyFailsRegistration() {
        JobRunner runner = JobRunner.builder().build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.register(Workflow.fromAnnotated(new LooksUp())))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining(Pool.class.getTypeName());
    }
}
