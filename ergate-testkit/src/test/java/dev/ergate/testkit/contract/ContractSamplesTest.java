package dev.ergate.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.spi.JobQueue;
import dev.ergate.spi.JobStore;
import dev.ergate.spi.StateStore;
import dev.ergate.testkit.InMemoryJobQueue;
import dev.ergate.testkit.InMemoryJobStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The samples in the contract suites' javadoc, word for word, so they keep compiling. The nested
 * classes are abstract: JUnit does not run the suites again here.
 */
class ContractSamplesTest {

    abstract static class InMemoryJobQueueContractTest extends JobQueueContract {
        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            return InMemoryJobQueue.builder().leaseTime(leaseTime).build();
        }
    }

    abstract static class InMemoryJobStoreContractTest extends JobStoreContract {
        @Override
        protected JobStore newStore() {
            return InMemoryJobStore.create();
        }
    }

    abstract static class InMemoryEndToEndTest extends EndToEndContract {
        @Override
        protected JobQueue newQueue(Duration leaseTime) {
            return InMemoryJobQueue.builder().leaseTime(leaseTime).build();
        }

        @Override
        protected StateStore newStore() {
            return InMemoryJobStore.create();
        }
    }

    @Test
    void theSamplesGiveWorkingBackends() throws Exception {
        JobQueue queue = new InMemoryJobQueueContractTest() { }.newQueue(Duration.ofSeconds(2));
        JobStore store = new InMemoryJobStoreContractTest() { }.newStore();
        StateStore endToEndStore = new InMemoryEndToEndTest() { }.newStore();

        assertThat(queue).isInstanceOf(InMemoryJobQueue.class);
        assertThat(store).isInstanceOf(InMemoryJobStore.class);
        assertThat(endToEndStore).isInstanceOf(InMemoryJobStore.class);
        queue.close();
    }
}
