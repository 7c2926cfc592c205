package dev.ergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the command does before it reaches a backend: usage, exit statuses, scrubbing, tables. */
class CliWithoutBackendTest {

    private static CliScenario.Run run(Map<String, String> environment, String... args) {
        return CliScenario.raw(environment, args);
    }

    @Test
    void aBadCommandLineExitsWithTwoAndSaysWhy() {
        CliScenario.Run none = run(Map.of(), "stats");
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("name a backend");
        assertThat(run(Map.of(), "--redis", "redis://x", "--postgres", "postgres://y", "stats").code())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "--redis", "redis://x", "--store", "redis://y", "stats").err())
                .contains("--store goes with --sqs only");
        assertThat(run(Map.of(), "--sqs", "sqs://jobs", "stats").err()).contains("--sqs needs --store");
        assertThat(run(Map.of(), "--redis", "redis://x", "jobs", "list", "--status", "DONE").code())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "--redis", "redis://x", "dead-letters", "purge", "--older-than", "soon").err())
                .contains("'soon' is not a duration");
        assertThat(run(Map.of()).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpDocumentsTheExitStatuses() {
        CliScenario.Run help = run(Map.of(), "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("jobs", "dead-letters", "stats", "submit", "dashboard")
                .contains("Exit status: 0 done").contains("6 backend unreachable");
        assertThat(run(Map.of(), "jobs", "--help").out()).contains("list", "show", "cancel", "retry", "delete");
    }

    @Test
    void noPasswordIsEverPrinted() {
        CliScenario.Run unreachable = run(Map.of(), "--redis", "redis://admin:Sup3rSecret@127.0.0.1:1/0", "stats");
        assertThat(unreachable.code()).isEqualTo(ExitCodes.BACKEND);
        assertThat(unreachable.out() + unreachable.err()).doesNotContain("Sup3rSecret").contains("ergate:");

        CliScenario.Run badValue = run(Map.of(), "--postgres", "postgres://u:Sup3rSecret@h/db", "jobs", "list",
                "--limit", "postgres://u:Sup3rSecret@h/db");
        assertThat(badValue.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badValue.err()).doesNotContain("Sup3rSecret");

        CliScenario.Run token = run(Map.of("ERGATE_DASHBOARD_TOKEN", "t0ken-value"), "--redis", "redis://x",
                "dashboard", "--port", "t0ken-value");
        assertThat(token.err()).doesNotContain("t0ken-value");
    }

    @Test
    void scrubbingMasksKnownSecretsAndPasswordShapedText() {
        Secrets secrets = Secrets.find(new String[] {"--postgres", "jdbc:postgresql://h/db?user=u&password=p%40ss",
                "dashboard", "--basic-auth", "ops:open-sesame"}, Map.of());
        assertThat(secrets.scrub("failed: jdbc:postgresql://h/db?user=u&password=p%40ss")).doesNotContain("p%40ss");
        assertThat(secrets.scrub("the password p@ss was refused")).doesNotContain("p@ss");
        assertThat(secrets.scrub("auth open-sesame")).doesNotContain("open-sesame");
        assertThat(secrets.scrub("redis://user:other@host")).isEqualTo("redis://user:****@host");
        assertThat(Secrets.redact("rediss://:pw123@h:6380/0")).isEqualTo("rediss://***@h:6380/0");
        for (String c : new String[] {"/", "?", "#", "@"}) {
            String password = "pa" + c + "ss" + c + "word";
            String uri = "postgres://bob:" + password + "@h/db";
            assertThat(Secrets.redact(uri)).as(uri).doesNotContain("ss" + c + "word");
            assertThat(Secrets.find(new String[] {"--postgres", uri}, Map.of()).scrub("can't reach " + uri + " now"))
                    .as(uri).doesNotContain("ss" + c + "word");
            assertThat(secrets.scrub("can't reach " + uri + " now")).as(uri).doesNotContain("ss" + c + "word");
        }
    }

    @Test
    void tablesFitTheGivenWidth() {
        Table table = new Table("ID", "WORKFLOW", "REASON");
        table.row("0123456789-abcdef", "orders", "x".repeat(200));
        table.row("2", "a\nb\u001b[31m", "short");
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out), 50);
        assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(50));
        assertThat(out.toString()).contains("…").doesNotContain("\u001b");
        assertThat(Table.terminalWidth(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Table.terminalWidth(Map.of())).isEqualTo(100);
    }
}
