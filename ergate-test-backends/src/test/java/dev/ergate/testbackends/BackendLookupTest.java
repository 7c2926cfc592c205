package dev.ergate.testbackends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.testbackends.BackendLookup.Spec;
import dev.ergate.testbackends.FoundBackend.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The lookup order, with a fake environment, a fake local server and a fake Docker. */
class BackendLookupTest {

    private final Map<String, String> environment = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private @Nullable String localAnswer;
    private boolean dockerAnswer;
    private @Nullable RuntimeException containerFailure;

    private FoundBackend find() {
        BackendLookup lookup = new BackendLookup(environment, () -> {
            asked.add("docker");
            return dockerAnswer;
        });
        return lookup.find(new Spec("Redis", "ERGATE_REDIS_URL", "nothing answers at 127.0.0.1:6379",
                "run Redis on 127.0.0.1:6379", () -> {
                    asked.add("local");
                    return localAnswer;
                }, () -> {
                    asked.add("container");
                    if (containerFailure != null) {
                        throw containerFailure;
                    }
                    return "redis://localhost:32768";
                }, "redis:7-alpine"));
    }

    @Test
    void theEnvironmentVariableComesFirstAndNothingElseIsAsked() {
        environment.put("ERGATE_REDIS_URL", " redis://cache:6380/2 ");
        localAnswer = "redis://127.0.0.1:6379";
        dockerAnswer = true;

        assertThat(find()).isEqualTo(new FoundBackend("redis://cache:6380/2", Source.ENVIRONMENT));
        assertThat(asked).isEmpty();
    }

    @Test
    void aBlankVariableCountsAsUnset() {
        environment.put("ERGATE_REDIS_URL", "  ");
        localAnswer = "redis://127.0.0.1:6379";

        assertThat(find().source()).isEqualTo(Source.LOCAL);
    }

    @Test
    void theLocalDefaultComesBeforeDocker() {
        localAnswer = "redis://127.0.0.1:6379";
        dockerAnswer = true;

        assertThat(find()).isEqualTo(new FoundBackend("redis://127.0.0.1:6379", Source.LOCAL));
        assertThat(asked).containsExactly("local");
    }

    @Test
    void aContainerWhenNothingLocalAnswersAndDockerIsThere() {
        dockerAnswer = true;

        assertThat(find()).isEqualTo(new FoundBackend("redis://localhost:32768", Source.CONTAINER));
        assertThat(asked).containsExactly("local", "docker", "container");
    }

    @Test
    void aLocalProbeThatThrowsCountsAsNotThere() {
        dockerAnswer = true;
        BackendLookup lookup = new BackendLookup(environment, () -> dockerAnswer);

        FoundBackend found = lookup.find(new Spec("SQS", "ERGATE_SQS_ENDPOINT", "ElasticMQ is not on the class path",
                "add ElasticMQ", () -> {
                    throw new NoClassDefFoundError("org/elasticmq/rest/sqs/SQSRestServerBuilder");
                }, () -> "http://localhost:32770", "softwaremill/elasticmq-native"));

        assertThat(found.source()).isEqualTo(Source.CONTAINER);
    }

    @Test
    void withoutDockerTheTestIsSkippedWithOneLineSayingWhatToDo() {
        assertThatThrownBy(this::find).isInstanceOf(TestAbortedException.class)
                .hasMessage("Redis is not available: ERGATE_REDIS_URL is not set, nothing answers at 127.0.0.1:6379, "
                        + "no Docker engine for Testcontainers; set ERGATE_REDIS_URL, run Redis on 127.0.0.1:6379, "
                        + "or start Docker");
        assertThat(asked).containsExactly("local", "docker");
    }

    @Test
    void whenBackendsAreRequiredAMissingOneFailsTheTest() {
        environment.put("ERGATE_REQUIRE_BACKENDS", "true");

        assertThatThrownBy(this::find).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Redis is not available")
                .hasMessageEndingWith("[ERGATE_REQUIRE_BACKENDS=true]");
    }

    @Test
    void aContainerThatDoesNotStartIsReportedWithTheImage() {
        dockerAnswer = true;
        containerFailure = new IllegalStateException("pull access denied");

        assertThatThrownBy(this::find).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("the redis:7-alpine container did not start (pull access denied)");
    }
}
