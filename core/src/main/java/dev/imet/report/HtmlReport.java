package dev.imet.report;

import dev.imet.common.ToolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: a leaderboard, each run's curves side by side, the options in which
 * the runs differ, and the label table of the best run, sortable by any column. Nothing outside the page is
 * loaded (inline CSS and JS, images as data: URIs, and a content security policy that forbids anything else), and
 * every text that comes from a file is escaped: run names, label names and reasons come from users.
 */
public final class HtmlReport {
    /** The attribute the page's script sets on {@code <body>} once it ran: {@code ready}. */
    public static final String READY_ATTRIBUTE = "data-report";
    /** The attribute the page's script sets on {@code <body>} when a script failed, to the error's message. */
    public static final String ERROR_ATTRIBUTE = "data-report-error";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private HtmlReport() {}

    /** The page for {@code board}, reading each run's curves.png and the best run's labels.csv. */
    public static String render(Leaderboard board, Instant generatedAt) {
        StringBuilder html = new StringBuilder(1 << 16);
        RunSummary best = board.best();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"
                        + " style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>imet report").append(best == null ? "" : ": " + escape(best.name())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        html.append("<header>\n<h1>imet report</h1>\n<p class=\"meta\">").append(board.runs().size())
                .append(board.runs().size() == 1 ? " run" : " runs");
        if (best != null && best.bestF2() != null) {
            html.append(" &middot; best ").append(escape(best.name())).append(" (F2 ")
                    .append(Column.format("%.4f", best.bestF2())).append(')');
        }
        html.append(" &middot; written ").append(WHEN.format(generatedAt)).append(" by imet ")
                .append(escape(ToolVersion.get())).append("</p>\n</header>\n");

        leaderboard(html, board);
        curves(html, board);
        options(html, board);
        labels(html, best);

        html.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void leaderboard(StringBuilder html, Leaderboard board) {
        html.append("<section id=\"leaderboard\">\n<h2>Leaderboard</h2>\n<div class=\"wide\">\n")
                .append("<table class=\"sortable\" id=\"leaderboard-table\">\n<thead><tr>")
                .append(header("#", "rank", true, false));
        List<Column> columns = Column.forRuns(board.runs());
        for (Column c : columns) {
            html.append(header(c.header(), c.header(), c.numeric(), c.header().equals("best F2")));
        }
        html.append("</tr></thead>\n<tbody>\n");
        int rank = 0;
        for (RunSummary run : board.runs()) {
            rank++;
            html.append("<tr data-run=\"").append(escape(run.name())).append('"')
                    .append(rank == 1 && run.bestF2() != null ? " class=\"best\"" : "").append('>')
                    .append("<td class=\"num\">").append(rank).append("</td>");
            for (Column c : columns) {
                String text = c.text().apply(run);
                html.append("<td");
                List<String> classes = new ArrayList<>();
                if (c.numeric()) {
                    classes.add("num");
                }
                if (c == Column.NOTE) {
                    classes.add("note");
                }
                if (!classes.isEmpty()) {
                    html.append(" class=\"").append(String.join(" ", classes)).append('"');
                }
                if (c.sortKey() != null) {
                    html.append(" data-sort=\"").append(escape(c.sortKey().apply(run))).append('"');
                }
                html.append('>');
                if (c == Column.RUN) {
                    html.append("<span title=\"").append(escape(run.dir().toString())).append("\">")
                            .append(escape(text)).append("</span>");
                } else if (c == Column.ENDED) {
                    html.append(state(run.ending()));
                } else {
                    html.append(escape(text));
                }
                html.append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static String header(String text, String key, boolean numeric, boolean sortedDescending) {
        return "<th" + (numeric ? " class=\"num\"" : "") + " data-key=\"" + escape(key) + "\""
                + (sortedDescending ? " aria-sort=\"descending\"" : "") + "><button type=\"button\">" + escape(text)
                + "</button></th>";
    }

    private static String state(RunEnding ending) {
        return "<span class=\"state state-" + ending.name().toLowerCase(Locale.ROOT).replace('_', '-') + "\">"
                + escape(ending.label()) + "</span>";
    }

    private static void curves(StringBuilder html, Leaderboard board) {
        html.append("<section id=\"curves\">\n<h2>Curves</h2>\n<div class=\"curves\">\n");
        for (RunSummary run : board.runs()) {
            html.append("<figure data-run=\"").append(escape(run.name())).append("\">\n<figcaption>")
                    .append(escape(run.name())).append(' ').append(state(run.ending())).append("</figcaption>\n");
            String png = run.curves() == null ? null : pngDataUri(run.curves());
            if (png != null) {
                html.append("<img alt=\"curves of ").append(escape(run.name())).append("\" src=\"").append(png)
                        .append("\">\n");
            } else {
                html.append("<div class=\"missing\">").append(run.curves() == null ? "no curves.png"
                        : "curves.png is not a PNG image").append("</div>\n");
            }
            html.append("</figure>\n");
        }
        html.append("</div>\n</section>\n");
    }

    /** The file as a data: URI, or null when it is not a PNG (or does not read). */
    private static String pngDataUri(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
        if (bytes.length < PNG_SIGNATURE.length
                || !Arrays.equals(Arrays.copyOf(bytes, PNG_SIGNATURE.length), PNG_SIGNATURE)) {
            return null;
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static void options(StringBuilder html, Leaderboard board) {
        html.append("<section id=\"options\">\n<h2>Options that differ</h2>\n");
        List<RunSummary> compared = board.runs().stream().filter(r -> r.options() != null).toList();
        List<String> left = board.runs().stream().filter(r -> r.options() == null).map(RunSummary::name).toList();
        if (compared.size() < 2) {
            html.append("<p class=\"missing-text\">")
                    .append(compared.size() == 1 ? "One run with a readable config.json: nothing to compare."
                            : "No run with a readable config.json: nothing to compare.")
                    .append("</p>\n");
        } else {
            LinkedHashMap<String, List<String>> differing = Leaderboard.differingOptions(
                    compared.stream().map(RunSummary::options).toList());
            if (differing.isEmpty()) {
                html.append("<p class=\"missing-text\">The runs share every option.</p>\n");
            } else {
                html.append("<div class=\"wide\">\n<table id=\"options-table\">\n<thead><tr><th>option</th>");
                for (RunSummary run : compared) {
                    html.append("<th>").append(escape(run.name())).append("</th>");
                }
                html.append("</tr></thead>\n<tbody>\n");
                for (Map.Entry<String, List<String>> e : differing.entrySet()) {
                    html.append("<tr><th scope=\"row\">").append(escape(e.getKey())).append("</th>");
                    for (String value : e.getValue()) {
                        html.append(value == null ? "<td class=\"absent\">(none)</td>"
                                : "<td>" + escape(value) + "</td>");
                    }
                    html.append("</tr>\n");
                }
                html.append("</tbody>\n</table>\n</div>\n");
            }
        }
        if (!left.isEmpty()) {
            html.append("<p class=\"aside\">Left out (no readable config.json): ")
                    .append(escape(String.join(", ", left))).append(".</p>\n");
        }
        html.append("</section>\n");
    }

    private static void labels(StringBuilder html, RunSummary best) {
        html.append("<section id=\"labels\">\n<h2>Labels of the best run")
                .append(best == null ? "" : ": " + escape(best.name())).append("</h2>\n");
        if (best == null) {
            html.append("<p class=\"missing-text\">No runs.</p>\n</section>\n");
            return;
        }
        if (best.labels() == null) {
            html.append("<p class=\"missing-text\">run <code>validate --model ").append(escape(best.dir().toString()))
                    .append("</code> for the label table</p>\n</section>\n");
            return;
        }
        LabelTable table = LabelTable.read(best.labels());
        html.append("<p class=\"aside\">labels.csv, ").append(table.rows().size()).append(" labels");
        if (best.modelThresholds() != null) {
            html.append("; thresholds in model.json: ").append(escape(best.modelThresholds()));
        }
        html.append(". Click a column&rsquo;s name to sort by it.</p>\n");
        for (String problem : table.problems()) {
            html.append("<p class=\"problem\">").append(escape(problem)).append("</p>\n");
        }
        if (table.rows().isEmpty()) {
            html.append("</section>\n");
            return;
        }
        html.append("<div class=\"scroll\">\n<table class=\"sortable\" id=\"labels-table\">\n<thead><tr>");
        for (int k = 0; k < table.columns().size(); k++) {
            String column = table.columns().get(k);
            html.append(header(column.replace('_', ' '), column, table.numeric().get(k), false));
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            html.append("<tr>");
            for (int k = 0; k < row.size(); k++) {
                html.append(table.numeric().get(k) ? "<td class=\"num\">" : "<td>").append(escape(row.get(k)))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    /** Text made safe for HTML content and quoted attribute values. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            :root { --fg: #1d2330; --muted: #687080; --line: #e2e5ea; --head: #f4f6f8; --best: #eef4ff; }
            * { box-sizing: border-box; }
            body { margin: 0; padding: 20px 32px 48px; color: var(--fg); background: #fff;
              font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            h1 { font-size: 22px; margin: 0 0 2px; }
            h2 { font-size: 16px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
            .meta, .aside { color: var(--muted); margin: 0 0 8px; }
            code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--head);
              padding: 1px 4px; border-radius: 3px; }
            .wide { overflow-x: auto; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
              white-space: nowrap; }
            thead th { background: var(--head); font-weight: 600; position: sticky; top: 0; z-index: 1; }
            #options-table tbody th, #options-table td { font-weight: 400; font-size: 13px;
              font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            .num { text-align: right; }
            td.note { white-space: normal; color: var(--muted); min-width: 160px; max-width: 420px; }
            td.absent { color: var(--muted); }
            tr.best td { background: var(--best); }
            tbody tr:hover td { background: #f7f9fc; }
            th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
            th button:hover { text-decoration: underline; }
            th[aria-sort] button { color: #1f56c2; }
            th[aria-sort="ascending"] button::after { content: " \\25B2"; font-size: 10px; }
            th[aria-sort="descending"] button::after { content: " \\25BC"; font-size: 10px; }
            .state { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 12px; font-weight: 600;
              background: #eceef1; color: #4a5160; }
            .state-finished { background: #e2f4e7; color: #176b30; }
            .state-stopped-early { background: #e3eefc; color: #1f56c2; }
            .state-running { background: #fff2d6; color: #8a5a00; }
            .state-interrupted { background: #eceef1; color: #4a5160; }
            .state-failed, .state-killed { background: #fde4e4; color: #a61b1b; }
            .curves { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 16px; }
            figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
              display: flex; flex-direction: column; }
            figcaption { font-weight: 600; margin-bottom: 8px; }
            figure img { display: block; width: 100%; height: auto; }
            .missing { flex: 1; display: flex; align-items: center; justify-content: center; min-height: 120px;
              color: var(--muted); font-style: italic; background: #fafbfc; border: 1px dashed var(--line);
              border-radius: 4px; }
            .missing-text { color: var(--muted); font-style: italic; }
            .scroll { max-height: 70vh; overflow: auto; border: 1px solid var(--line); display: inline-block;
              max-width: 100%; }
            .scroll table { min-width: 100%; }
            .problem { color: #a61b1b; margin: 0 0 6px; }
            """;

    /** Sorts any {@code table.sortable} by the clicked column; marks the body when it ran (or failed). */
    private static final String SCRIPT = """
            (function () {
              'use strict';
              var body = document.body;
              window.addEventListener('error', function (e) {
                body.setAttribute('data-report-error', String(e.message));
              });
              function keyOf(cell) {
                var key = cell.getAttribute('data-sort');
                return key !== null ? key : cell.textContent.trim();
              }
              function blank(key) {
                return key === '' || key === '-';
              }
              function sortBy(table, column, th) {
                var ascending = th.getAttribute('aria-sort') !== 'ascending';
                var tbody = table.tBodies[0];
                var rows = Array.prototype.slice.call(tbody.rows);
                var keys = rows.map(function (row) { return keyOf(row.cells[column]); });
                var numeric = keys.every(function (k) { return blank(k) || isFinite(Number(k)); });
                var order = rows.map(function (row, i) { return i; });
                order.sort(function (a, b) {
                  var x = keys[a], y = keys[b];
                  if (blank(x) || blank(y)) {
                    return blank(x) === blank(y) ? a - b : blank(x) ? 1 : -1;
                  }
                  var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, {numeric: true});
                  return c !== 0 ? (ascending ? c : -c) : a - b;
                });
                order.forEach(function (i) { tbody.appendChild(rows[i]); });
                Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              }
              try {
                Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
                  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
                    var button = th.querySelector('button');
                    if (button) {
                      button.addEventListener('click', function () { sortBy(table, column, th); });
                    }
                  });
                });
                body.setAttribute('data-report', 'ready');
              } catch (e) {
                body.setAttribute('data-report-error', String(e && e.message || e));
              }
            })();
            """;
}
