package dev.ergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ergate.Job;
import dev.ergate.JobId;
import dev.ergate.JobStatus;
import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import dev.ergate.spi.RetryOutcome;
import dev.ergate.spi.StaleStateException;
import dev.ergate.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("RedisJobStore against a real Redis")
class RedisJobStoreTest {

    private static RedisFixture fixture;

    @BeforeAll
    static void connect() {
        fixture = RedisFixture.open("store");
    }

    @AfterAll
    static void cleanUp() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Job job(JobId id, String workflow, JobStatus status) {
        return Job.builder().id(id).workflowName(workflow).status(status).stepName("s1")
                .userContext(JsonNodeFactory.instance.objectNode().put("tenant", "t1"))
                .extraField("current_step", TextNode.valueOf("s1"))
                .build();
    }

    private static Job job(String id, String workflow, JobStatus status) {
        return job(JobId.of(id), workflow, status);
    }

    @Test
    @DisplayName("an updated job is found whole; string and numeric ids with the same text are two jobs")
    void updateThenFind() {
        RedisJobStore store = fixture.backend().store();
        Job text = job(JobId.of("7"), "wf", JobStatus.RUNNING);
        Job number = job(JobId.of(7), "other", JobStatus.QUEUED);
        store.update(text);
        store.update(number);

        assertThat(store.find(JobId.of("7"))).contains(text);
        assertThat(store.find(JobId.of(7))).contains(number);
        assertThat(store.find(JobId.of("8"))).isEmpty();
    }

    @Test
    @DisplayName("a later update replaces the job and moves it between the status indexes")
    void updateReplaces() {
        RedisJobStore store = fixture.backend().store();
        store.update(job("a", "wf", JobStatus.RUNNING));
        Job done = job("a", "wf", JobStatus.COMPLETED).toBuilder().stepsCompleted(3).percentCompleted(100).build();
        store.update(done);

        assertThat(store.find(JobId.of("a"))).contains(done);
        assertThat(store.list(JobStatus.RUNNING).jobs()).isEmpty();
        assertThat(store.list(JobStatus.COMPLETED).jobs()).containsExactly(done);
    }

    @Test
    @DisplayName("list filters by status, workflow or both, in first-seen order")
    void listFilters() {
        RedisJobStore store = fixture.backend().store();
        store.update(job("1", "a", JobStatus.RUNNING));
        store.update(job("2", "b", JobStatus.RUNNING));
        store.update(job("3", "a", JobStatus.COMPLETED));
        store.update(job("4", "a", JobStatus.RUNNING));

        assertThat(ids(store.list(JobQuery.builder().build()))).containsExactly("1", "2", "3", "4");
        assertThat(ids(store.list(JobStatus.RUNNING))).containsExactly("1", "2", "4");
        assertThat(ids(store.list(JobQuery.builder().workflowName("a").build()))).containsExactly("1", "3", "4");
        assertThat(ids(store.list(JobQuery.builder().workflowName("a").status(JobStatus.RUNNING).build())))
                .containsExactly("1", "4");
        assertThat(store.list(JobQuery.builder().workflowName("nope").build()).jobs()).isEmpty();
    }

    @Test
    @DisplayName("paging walks every job once, also while jobs change status during the walk")
    void paging() {
        RedisJobStore store = fixture.backend().store();
        for (int i = 0; i < 25; i++) {
            store.update(job("p" + i, "wf", JobStatus.QUEUED));
        }
        List<String> walked = new ArrayList<>();
        JobQuery query = JobQuery.builder().pageSize(10).build();
        JobPage page = store.list(query);
        int pages = 1;
        walked.addAll(ids(page));
        // a job already walked and one not yet walked both change while we page
        store.update(job("p0", "wf", JobStatus.RUNNING));
        store.update(job("p20", "wf", JobStatus.RUNNING));
        while (page.next().isPresent()) {
            page = store.list(query.after(page.next().get()));
            walked.addAll(ids(page));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(walked).hasSize(25);
        assertThat(new HashSet<>(walked)).hasSize(25);
    }

    @Test
    @DisplayName("a cursor that this store did not hand out is refused")
    void badCursor() {
        RedisJobStore store = fixture.backend().store();
        assertThatThrownBy(() -> store.list(JobQuery.builder().cursor("zzz").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zzz");
    }

    @Test
    @DisplayName("a job without an id can't be stored")
    void noId() {
        RedisJobStore store = fixture.backend().store();
        assertThatThrownBy(() -> store.update(Job.of("wf")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'wf'");
    }

    @Test
    @DisplayName("requestCancel marks a live job CANCELLING, and a non-final update keeps it")
    void cancel() {
        RedisJobStore store = fixture.backend().store();
        store.update(job("c", "wf", JobStatus.RUNNING));

        assertThat(store.requestCancel(JobId.of("c"))).isTrue();
        assertThat(store.requestCancel(JobId.of("c"))).isTrue();
        assertThat(store.find(JobId.of("c")).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(ids(store.list(JobStatus.CANCELLING))).containsExactly("c");
        assertThat(store.list(JobStatus.RUNNING).jobs()).isEmpty();

        Job stepDone = job("c", "wf", JobStatus.QUEUED).toBuilder().stepsCompleted(1).build();
        store.update(stepDone);
        Job stored = store.find(JobId.of("c")).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(stored.stepsCompleted()).isEqualTo(1);
        assertThat(ids(store.list(JobStatus.CANCELLING))).containsExactly("c");
        assertThat(store.list(JobStatus.QUEUED).jobs()).isEmpty();

        store.update(job("c", "wf", JobStatus.CANCELLED).toBuilder().stepsCompleted(1).build());
        assertThat(store.find(JobId.of("c")).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.requestCancel(JobId.of("c"))).isFalse();
        assertThat(store.requestCancel(JobId.of("unknown"))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    @DisplayName("the scripts' idea of a final status is JobStatus.isFinal")
    void finalStatuses(JobStatus status) {
        RedisJobStore store = fixture.backend().store();
        store.update(job("f", "wf", status));
        assertThat(store.requestCancel(JobId.of("f"))).isEqualTo(!status.isFinal());
    }

    @Test
    @DisplayName("with a retention, a final job disappears after it, index entries and key included")
    void retention() {
        ManualClock clock = ManualClock.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
        RedisBackend backend = fixture.backend(RedisOptions.builder().clock(clock));
        RedisJobStore store = backend.store(RedisStoreOptions.builder().retention(Duration.ofMinutes(5)).build());
        store.update(job("old", "wf", JobStatus.COMPLETED));
        store.update(job("live", "wf", JobStatus.RUNNING));
        clock.advance(Duration.ofMinutes(4));
        assertThat(store.find(JobId.of("old"))).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(store.find(JobId.of("old"))).isEmpty();
        assertThat(store.requestCancel(JobId.of("old"))).isFalse();
        assertThat(ids(store.list(JobQuery.builder().build()))).containsExactly("live");
        assertThat(store.list(JobStatus.COMPLETED).jobs()).isEmpty();
        RedisKeys keys = new RedisKeys(backend.options().namespace(), "jobs");
        assertThat(fixture.raw().exists(keys.job("s:old"))).isFalse();
        assertThat(fixture.raw().zcard(keys.statusIndex("COMPLETED"))).isZero();
        assertThat(fixture.raw().zcard(keys.workflowIndex("wf"))).isEqualTo(1);
        assertThat(fixture.raw().zcard(keys.expiring())).isZero();
        assertThat(store.find(JobId.of("live"))).isPresent();
    }

    @Test
    @DisplayName("update never moves a final job back: a non-final state over it is refused, nothing written")
    void fencedUpdate() {
        RedisJobStore store = fixture.backend().store();
        Job done = job("done", "wf", JobStatus.COMPLETED);
        store.update(done);

        assertThatThrownBy(() -> store.update(job("done", "wf", JobStatus.QUEUED)))
                .isInstanceOf(StaleStateException.class)
                .hasMessageContaining("job done");
        assertThat(store.find(JobId.of("done"))).contains(done);
        assertThat(ids(store.list(JobStatus.COMPLETED))).containsExactly("done");
        assertThat(store.list(JobStatus.QUEUED).jobs()).isEmpty();
    }

    @Test
    @DisplayName("replace writes past the fence: a resubmit of a final job's id is queued again")
    void replacePassesTheFence() {
        RedisJobStore store = fixture.backend().store();
        store.update(job("again", "wf", JobStatus.COMPLETED));

        Job resubmitted = job("again", "wf", JobStatus.QUEUED);
        store.replace(resubmitted);

        assertThat(store.find(JobId.of("again"))).contains(resubmitted);
        assertThat(ids(store.list(JobStatus.QUEUED))).containsExactly("again");
        assertThat(store.list(JobStatus.COMPLETED).jobs()).isEmpty();
    }

    @Test
    @DisplayName("a job retried (not final again) loses its expiry; without a retention nothing expires")
    void revivedJobIsKept() {
        ManualClock clock = ManualClock.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
        RedisBackend backend = fixture.backend(RedisOptions.builder().clock(clock));
        RedisJobStore store = backend.store(RedisStoreOptions.builder().retention(Duration.ofMinutes(1)).build());
        RedisJobStore keepForever = backend.store();
        store.update(job("back", "wf", JobStatus.FAILED));
        // only a repair moves a final job back: a plain update is fenced (see fencedUpdate)
        assertThat(backend.admin(store, backend.queue()).retryJob(JobId.of("back"))).isEqualTo(RetryOutcome.RETRIED);
        keepForever.update(job("forever", "wf", JobStatus.COMPLETED));
        clock.advance(Duration.ofDays(400));
        assertThat(store.find(JobId.of("back"))).isPresent();
        assertThat(store.find(JobId.of("forever"))).isPresent();
    }

    @Test
    @DisplayName("a job written again after its retention ran out starts afresh, listed as new")
    void expiredJobWrittenAgain() {
        ManualClock clock = ManualClock.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
        RedisBackend backend = fixture.backend(RedisOptions.builder().clock(clock));
        RedisJobStore store = backend.store(RedisStoreOptions.builder().retention(Duration.ofMinutes(1)).build());
        store.update(job("again", "wf", JobStatus.COMPLETED));
        store.update(job("other", "wf", JobStatus.QUEUED));
        clock.advance(Duration.ofMinutes(2));

        Job revived = job("again", "wf2", JobStatus.QUEUED);
        store.update(revived);

        assertThat(ids(store.list(JobQuery.builder().build()))).containsExactly("other", "again");
        assertThat(store.list(JobStatus.COMPLETED).jobs()).isEmpty();
        assertThat(store.list(JobQuery.builder().workflowName("wf").build()).jobs()).extracting(Job::id)
                .containsExactly(JobId.of("other"));
        clock.advance(Duration.ofDays(1));
        assertThat(store.find(JobId.of("again"))).contains(revived);
    }

    @Test
    @DisplayName("listing by status and workflow looks at a bounded number of entries per page and finds every match")
    void listByBothIsBounded() {
        RedisBackend backend = fixture.backend();
        RedisJobStore store = backend.store();
        // both indexes are larger than one call looks at, and the matches come last
        for (int i = 0; i < RedisJobStore.FILTERED_SCAN + 50; i++) {
            store.update(job("big-" + i, "big", JobStatus.COMPLETED));
            store.update(job("rare-" + i, "rare", JobStatus.RUNNING));
        }
        store.update(job("match-1", "rare", JobStatus.COMPLETED));
        store.update(job("match-2", "rare", JobStatus.COMPLETED));

        JobQuery query = JobQuery.builder().status(JobStatus.COMPLETED).workflowName("rare").pageSize(10).build();
        JobPage page = store.list(query);
        assertThat(page.jobs()).as("the first call stops after looking at %d entries", RedisJobStore.FILTERED_SCAN)
                .isEmpty();
        assertThat(page.nextCursor()).isNotNull();
        List<String> found = new ArrayList<>();
        int calls = 1;
        while (page.next().isPresent()) {
            page = store.list(query.after(page.next().get()));
            found.addAll(ids(page));
            calls++;
        }
        assertThat(found).containsExactly("match-1", "match-2");
        assertThat(calls).isEqualTo(2);
    }

    private static List<String> ids(JobPage page) {
        List<String> ids = new ArrayList<>();
        page.jobs().forEach(j -> ids.add(j.id().value()));
        return ids;
    }
}
