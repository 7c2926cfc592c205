package dev.ergate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerThreadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private @Nullable ListenerThread thread;

    @AfterEach
    void close() {
        if (thread != null) {
            thread.close(() -> { }, WAIT);
        }
    }

    private ListenerThread listenerThread(ListenerThread.Session session) {
        thread = new ListenerThread("test-listener", session, e -> events.add("failed: " + e.getMessage()),
                () -> events.add("recovered"));
        return thread;
    }

    @Test
    void retriesFailedSessionsAndReportsOneFailureThenTheRecovery() throws InterruptedException {
        AtomicInteger sessions = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(1);
        ListenerThread[] self = new ListenerThread[1];
        self[0] = listenerThread(() -> {
            if (sessions.incrementAndGet() <= 3) {
                throw new IllegalStateException("connection refused " + sessions.get());
            }
            self[0].listening();
            released.await();
        });
        self[0].startOnce();
        self[0].startOnce(); // one thread only
        try {
            assertThat(self[0].awaitListening(WAIT)).isTrue();
            assertThat(sessions.get()).isEqualTo(4);
            assertThat(events).containsExactly("failed: connection refused 1", "recovered");
        } finally {
            released.countDown();
        }
    }

    @Test
    void aSessionThatGivesItsConnectionUpIsFollowedByAnother() {
        AtomicInteger sessions = new AtomicInteger();
        CountDownLatch hold = new CountDownLatch(1);
        ListenerThread[] self = new ListenerThread[1];
        self[0] = listenerThread(() -> {
            self[0].listening();
            if (sessions.incrementAndGet() >= 3) {
                hold.await();
            }
        });
        self[0].startOnce();

        await().atMost(WAIT).until(() -> sessions.get() >= 3);
        assertThat(events).isEmpty();
        self[0].close(hold::countDown, WAIT);
        assertThat(sessions.get()).isEqualTo(3);
    }

    @Test
    void closeWakesTheSessionAndNoneStartsAfter() throws InterruptedException {
        AtomicInteger sessions = new AtomicInteger();
        CountDownLatch woken = new CountDownLatch(1);
        ListenerThread[] self = new ListenerThread[1];
        self[0] = listenerThread(() -> {
            sessions.incrementAndGet();
            self[0].listening();
            woken.await();
        });
        self[0].startOnce();
        assertThat(self[0].awaitListening(WAIT)).isTrue();

        self[0].close(woken::countDown, WAIT);

        assertThat(self[0].stopping()).isTrue();
        assertThat(sessions.get()).isEqualTo(1);
        self[0].startOnce();
        assertThat(self[0].awaitListening(Duration.ZERO)).isTrue();
        assertThat(sessions.get()).isEqualTo(1);
    }

    @Test
    void neverStartsOnceClosed() throws InterruptedException {
        AtomicInteger sessions = new AtomicInteger();
        ListenerThread closed = listenerThread(sessions::incrementAndGet);
        closed.close(() -> { }, WAIT);

        closed.startOnce();

        assertThat(closed.awaitListening(Duration.ofMillis(50))).isFalse();
        assertThat(sessions.get()).isZero();
    }
}
