package dev.imet.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.run.RunStatus.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    private String page(List<Path> runs) {
        return HtmlReport.render(Leaderboard.of(runs), Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void showsEveryRunBestFirstWithHowItStands() {
        String html = page(ReportPages.runs(dir));
        assertThat(html).containsSubsequence("data-run=\"best\"", "data-run=\"older\"", "data-run=\"killed\"",
                "data-run=\"&lt;b&gt;running&amp;\"");
        assertThat(html).contains("stopped early", "killed", "running", "early stop: no better F2 in 4 checks",
                "unreadable config.json: no &#39;format&#39; key", "400/500", "1:02:05", "0.6100");
    }

    @Test
    void escapesEveryTextFromFiles() {
        String html = page(ReportPages.runs(dir));
        assertThat(html).doesNotContain("<b>running", "<img src=x", "<script>document.title")
                .contains("&lt;b&gt;running&amp;", "tag::&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;",
                        "culture::&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;");
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(1);
    }

    @Test
    void loadsNothingFromOutsideThePage() {
        String html = page(ReportPages.runs(dir));
        assertThat(html).doesNotContain("http:", "https:", "url(", "<link", "@import", "src=\"//");
        assertThat(Pattern.compile("src=\"(?!data:image/png;base64,)").matcher(html).find()).isFalse();
        assertThat(html).contains("Content-Security-Policy", "default-src 'none'", "<img alt=\"curves of best\" src=\"data:image/png;base64,iVBORw0KGgo");
    }

    @Test
    void saysWhatIsMissing() throws Exception {
        List<Path> runs = ReportPages.runs(dir);
        Files.writeString(runs.get(1).resolve("curves.png"), "not a png");
        String html = page(runs);
        assertThat(html).contains("no curves.png", "curves.png is not a PNG image");

        Path alone = RunFixtures.run(dir.resolve("alone"), "resnet18", 0, 1e-3, 1);
        RunFixtures.status(alone, State.FINISHED, 10, 10, 0.5, 1, null);
        String single = page(List.of(alone));
        assertThat(single).contains("run <code>validate --model " + alone + "</code> for the label table",
                "One run with a readable config.json: nothing to compare.");
    }

    @Test
    void comparesOnlyTheOptionsThatDiffer() {
        String html = page(ReportPages.runs(dir));
        String options = html.substring(html.indexOf("<section id=\"options\">"), html.indexOf("<section id=\"labels\">"));
        assertThat(options).contains("network.arch", "optimizer.lr", "data.fold", "Left out (no readable config.json): older.")
                .doesNotContain("loop.seed", "run_dir", "schedule.epochs");
    }

    @Test
    void readsTheColumnsValidateWrites() {
        assertThat(LabelTable.COLUMNS).isEqualTo(dev.imet.eval.LabelReport.COLUMNS);
    }

    @Test
    void labelTableOfTheBestRun() {
        String html = page(ReportPages.runs(dir));
        String labels = html.substring(html.indexOf("<section id=\"labels\">"));
        assertThat(labels).contains("Labels of the best run: best", "labels.csv, 6 labels", "tag::circle",
                "<th class=\"num\" data-key=\"support\">", "<th data-key=\"name\">");
    }
}
