package dev.imet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real browser: Debian's headless chromium loads it from the file, its script runs without an error
 * and without a console message (a blocked resource would log one), the leaderboard shows every run, and clicking
 * a column's name sorts the table. Skipped where chromium is not installed ({@code apt-get install chromium}).
 */
class HtmlReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path dir;

    static Path page;

    @BeforeAll
    static void writePage() {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        Path runs = dir.resolve("runs");
        page = Report.write(new Report.Options(ReportPages.runs(runs), dir.resolve("report.html"))).out();
    }

    /** The DOM after the page (and {@code extraScript}, run after the page's own) loaded; stderr in {@code log}. */
    private static String dumpDom(String extraScript, List<String> log) throws Exception {
        Path target = page;
        if (extraScript != null) {
            target = dir.resolve("scripted-" + System.nanoTime() + ".html");
            String html = Files.readString(page);
            // the page's policy allows inline scripts; the test's goes after the page's
            Files.writeString(target, html.replace("</body>", "<script>" + extraScript + "</script>\n</body>"));
        }
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path out = dir.resolve("dom-" + System.nanoTime() + ".html");
        Path err = dir.resolve("err-" + System.nanoTime() + ".txt");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--dump-dom", target.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium finished within 60 s").isTrue();
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroy);
            chromium.destroy();
        }
        log.addAll(Files.readAllLines(err));
        assertThat(chromium.exitValue()).as(String.join("\n", log)).isZero();
        return Files.readString(out);
    }

    private static List<String> column(String dom, String tableId, int column) {
        String table = dom.substring(dom.indexOf("id=\"" + tableId + "\""));
        table = table.substring(table.indexOf("<tbody>"), table.indexOf("</tbody>"));
        List<String> values = new ArrayList<>();
        for (String row : table.split("<tr")) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row);
            while (cell.find()) {
                cells.add(cell.group(1).replaceAll("<[^>]+>", ""));
            }
            if (!cells.isEmpty()) {
                values.add(cells.get(column));
            }
        }
        return values;
    }

    /** The page's {@code <body>} start tag, where its script leaves the marker (the script's text names it too). */
    private static String bodyTag(String dom) {
        Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
        assertThat(body.find()).as("a body").isTrue();
        return body.group();
    }

    private static void assertNoConsoleMessages(List<String> log) {
        assertThat(log).noneMatch(line -> line.contains(":CONSOLE"));
    }

    @Test
    void loadsWithoutErrorsAndShowsEveryRun() throws Exception {
        List<String> log = new ArrayList<>();
        String dom = dumpDom(null, log);
        assertNoConsoleMessages(log);
        assertThat(bodyTag(dom)).contains("data-report=\"ready\"").doesNotContain("data-report-error");
        assertThat(column(dom, "leaderboard-table", 1))
                .containsExactly("best", "older", "killed", "&lt;b&gt;running&amp;");
        assertThat(column(dom, "leaderboard-table", 11)).containsExactly("stopped early", "unknown", "killed", "running");
        // the names that try injection stay text: no element of theirs in the page, the title untouched
        assertThat(dom).doesNotContain("<img src=\"x\"", "pwned</title>", "<b>running");
        assertThat(dom).contains("<title>imet report: best</title>");
        assertThat(dom).containsPattern("<img alt=\"curves of best\" src=\"data:image/png;base64,");
    }

    @Test
    void clickingAColumnNameSortsItsTable() throws Exception {
        String script = """
                function click(table, key) {
                  document.querySelector('#' + table + ' th[data-key="' + key + '"] button').click();
                }
                click('labels-table', 'support');
                document.body.setAttribute('data-support-ascending', Array.prototype.map.call(
                    document.querySelectorAll('#labels-table tbody tr'), function (r) { return r.cells[3].textContent; }).join(' '));
                click('labels-table', 'support');
                document.body.setAttribute('data-support-descending', Array.prototype.map.call(
                    document.querySelectorAll('#labels-table tbody tr'), function (r) { return r.cells[3].textContent; }).join(' '));
                click('labels-table', 'name');
                click('leaderboard-table', 'steps');
                """;
        List<String> log = new ArrayList<>();
        String dom = dumpDom(script, log);
        assertNoConsoleMessages(log);
        assertThat(bodyTag(dom)).contains("data-report=\"ready\"").doesNotContain("data-report-error");
        assertThat(bodyTag(dom)).contains("data-support-ascending=\"2 5 7 9 12 14\"", "data-support-descending=\"14 12 9 7 5 2\"");
        List<String> names = column(dom, "labels-table", 1);
        assertThat(names).hasSize(6);
        assertThat(names.get(0)).startsWith("culture::&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;");
        assertThat(names.subList(1, 6)).containsExactly("culture::dark",
                "tag::&lt;img src=x onerror=\"document.title='pwned'\"&gt;", "tag::blue", "tag::circle", "tag::large");
        assertThat(dom).containsPattern("<th data-key=\"name\" aria-sort=\"ascending\">");
        // steps ascending, by the steps done: 1 (older, from metrics), 10, 120, 400
        assertThat(column(dom, "leaderboard-table", 1))
                .containsExactly("older", "&lt;b&gt;running&amp;", "killed", "best");
    }
}
