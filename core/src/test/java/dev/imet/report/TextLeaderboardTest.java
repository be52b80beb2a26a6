package dev.imet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextLeaderboardTest {
    private static RunSummary run(String name, Double f2, RunEnding ending, List<String> notes) {
        return new RunSummary(Path.of(name), name, "resnet18", 0, 64, 10, f2, f2 == null ? null : 0.2,
                null, 120L, 500L, 3725.4, 88.25, ending, null, notes, null, null, null);
    }

    @Test
    void oneAlignedLinePerRunBestFirst() {
        String table = TextLeaderboard.render(new Leaderboard(List.of(
                run("short", 0.5, RunEnding.FINISHED, List.of()),
                run("a-much-longer-name", 0.61234, RunEnding.KILLED, List.of("process 9 on h is gone")),
                run("new", null, RunEnding.RUNNING, List.of()))));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("run                 architecture").contains("best F2", "ended", "note");
        assertThat(lines.get(1)).startsWith("a-much-longer-name  resnet18").contains("0.6123", "120/500", "1:02:05",
                "88.3", "killed", "process 9 on h is gone");
        assertThat(lines.get(2)).startsWith("short ").contains("0.5000", "finished");
        assertThat(lines.get(3)).startsWith("new ").contains("running");
        // numbers are right-aligned: the F2 column ends at the same place on every line
        int end = lines.get(0).indexOf("best F2") + "best F2".length();
        assertThat(lines.get(1).substring(end - 6, end)).isEqualTo("0.6123");
        assertThat(lines.get(2).substring(end - 6, end)).isEqualTo("0.5000");
        assertThat(lines.get(3).substring(end - 6, end)).isEqualTo("     -");
        assertThat(lines).allMatch(line -> line.equals(line.stripTrailing()));
    }

    @Test
    void aLineBreakInANameDoesNotBreakTheTable() {
        String table = TextLeaderboard.render(new Leaderboard(List.of(run("two\nlines", 0.5, RunEnding.FINISHED,
                List.of("why\r\nnot")))));
        assertThat(table.lines()).hasSize(2);
    }

    @Test
    void theNoteColumnOnlyWhenARunHasANote() {
        String table = TextLeaderboard.render(new Leaderboard(List.of(run("a", 0.5, RunEnding.FINISHED, List.of()))));
        assertThat(table.lines().findFirst().orElseThrow()).endsWith("ended").doesNotContain("note");
    }
}
