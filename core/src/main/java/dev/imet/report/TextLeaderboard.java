package dev.imet.report;

import java.util.ArrayList;
import java.util.List;

/** The leaderboard as plain-text columns for a terminal: a header line, then one line per run, best first. */
public final class TextLeaderboard {
    private TextLeaderboard() {}

    public static String render(Leaderboard board) {
        List<Column> columns = Column.forRuns(board.runs());
        List<List<String>> lines = new ArrayList<>();
        lines.add(columns.stream().map(Column::header).toList());
        for (RunSummary run : board.runs()) {
            lines.add(columns.stream().map(c -> oneLine(c.text().apply(run))).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : lines) {
            for (int k = 0; k < widths.length; k++) {
                widths[k] = Math.max(widths[k], line.get(k).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < widths.length; k++) {
                String cell = line.get(k);
                boolean last = k == widths.length - 1;
                if (k > 0) {
                    text.append("  ");
                }
                if (columns.get(k).numeric()) {
                    text.append(" ".repeat(widths[k] - cell.length())).append(cell);
                } else {
                    text.append(cell);
                    if (!last) {
                        text.append(" ".repeat(widths[k] - cell.length()));
                    }
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Control characters (a line break in a name or a reason) would break the columns. */
    private static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }
}
