package dev.ergate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ergate.spi.JobPage;
import dev.ergate.spi.JobQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobQueryTest {

    @Test
    @DisplayName("a query checks its page size and continues after a cursor")
    void query() {
        JobQuery first = JobQuery.builder().status(JobStatus.FAILED).workflowName("w").pageSize(10).build();

        assertThat(first.cursor()).isNull();
        assertThat(first.after("abc")).isEqualTo(new JobQuery(JobStatus.FAILED, "w", 10, "abc"));
        assertThatThrownBy(() -> JobQuery.builder().pageSize(0).build()).hasMessageContaining("pageSize");
        assertThatThrownBy(() -> JobQuery.builder().pageSize(JobQuery.MAX_PAGE_SIZE + 1).build())
                .hasMessageContaining("pageSize");
    }

    @Test
    @DisplayName("a page is a snapshot of the list it was given")
    void pageCopies() {
        List<Job> jobs = new ArrayList<>(List.of(Job.of("w")));
        JobPage page = new JobPage(jobs, null);
        jobs.clear();

        assertThat(page.jobs()).hasSize(1);
        assertThat(page.next()).isEmpty();
    }
}
