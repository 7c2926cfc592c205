package dev.ergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.errorprone.annotations.CheckReturnValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The setters and submit() carry {@code @CanIgnoreReturnValue}, kept in class files only, so not read here. */
@DisplayName("Error Prone flags a dropped Submission")
class SubmissionReturnValueTest {

    @Test
    @DisplayName("client.submit(workflow) and Submission are @CheckReturnValue: a bare client.submit(\"x\"); queues nothing")
    void annotations() throws Exception {
        assertThat(ErgateClient.class.getMethod("submit", String.class).isAnnotationPresent(CheckReturnValue.class))
                .isTrue();
        assertThat(Submission.class.isAnnotationPresent(CheckReturnValue.class)).isTrue();
    }
}
