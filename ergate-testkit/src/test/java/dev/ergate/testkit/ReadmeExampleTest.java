package dev.ergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ergate.JobStatus;
import dev.ergate.runtime.AbortJob;
import dev.ergate.runtime.annotations.Depends;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import dev.ergate.runtime.annotations.Input;
import dev.ergate.runtime.annotations.Retry;
import dev.ergate.runtime.annotations.Step;
import dev.ergate.runtime.annotations.UserContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example in the testkit's README, kept compiling and passing here. */
class ReadmeExampleTest {

    // --- the code under test (normally in src/main) ---

    record Invoice(String number, long cents, String email) { }

    record Account(String plan) { }

    interface Mailer {
        void send(String to, String text) throws MailServerDown;
    }

    static class MailServerDown extends Exception {
        MailServerDown(String message) {
            super(message);
        }
    }

    @ErgateWorkflow("invoicing")
    public static class InvoiceWorkflow {
        @Step(order = 1)
        public Invoice check(@Input Invoice invoice) {
            if (invoice.cents() <= 0) {
                throw new AbortJob("nothing to bill on " + invoice.number());
            }
            return invoice;
        }

        @Step(order = 2)
        @Retry(maxAttempts = 5, initialDelay = "PT1M", multiplier = 2, on = MailServerDown.class)
        public String send(@Input Invoice invoice, @UserContext Account account, @Depends Mailer mailer)
                throws MailServerDown {
            mailer.send(invoice.email(), "Invoice " + invoice.number() + " (" + account.plan() + " plan)");
            return "sent " + invoice.number();
        }
    }

    // --- the test, as shown in the README ---

    /** A fake mailer: the mail server is down for the first two calls. */
    static class FlakyMailer implements Mailer {
        final List<String> sent = new ArrayList<>();
        int calls;

        @Override
        public void send(String to, String text) throws MailServerDown {
            if (++calls <= 2) {
                throw new MailServerDown("connection refused");
            }
            sent.add(to + ": " + text);
        }
    }

    @Test
    void invoiceIsSentOnceTheMailServerIsBack() {
        FlakyMailer mailer = new FlakyMailer();
        WorkflowTester tester = WorkflowTester.builder()
                .annotated(new InvoiceWorkflow())
                .dependency(Mailer.class, mailer)           // the fake replaces the real mailer
                .build();

        TestRun run = tester.run("invoicing",
                new Invoice("INV-7", 12_900, "ann@example.com"),   // the first step's input
                new Account("pro"));                                // the job's user context

        assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(run.result(String.class)).isEqualTo("sent INV-7");
        assertThat(run.stepsRun()).containsExactly("check", "send", "send", "send");
        assertThat(run.elapsed()).isEqualTo(Duration.ofMinutes(1 + 2));     // backoff, on the fake clock
        assertThat(mailer.sent).containsExactly("ann@example.com: Invoice INV-7 (pro plan)");
        assertThat(run.updates()).extracting(j -> j.status()).containsSubsequence(
                JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED);
    }

    @Test
    void emptyInvoiceIsAbortedStepByStep() {
        TestExecution execution = WorkflowTester.builder()
                .annotated(new InvoiceWorkflow())
                .dependency(Mailer.class, (to, text) -> { })
                .build()
                .start("invoicing", new Invoice("INV-8", 0, "bob@example.com"));

        assertThat(execution.nextStep()).hasValue("check");
        execution.step();

        assertThat(execution.isDone()).isTrue();
        assertThat(execution.job().status()).isEqualTo(JobStatus.ABORTED);
        assertThat(execution.job().exceptionTraceback()).isEqualTo("nothing to bill on INV-8");
    }
}
