package dev.imet.train;

import dev.imet.common.Charts;
import dev.imet.run.MetricsFile;
import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code curves.png} of a run up to date: train and valid loss, F2 and the head's learning rate against
 * the step, one panel each on a shared step axis, the best check marked; redrawn (atomically) at every check
 * from the run's metrics rows.
 */
public final class CurvesWriter implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CurvesWriter.class);
    static final int WIDTH = 900;
    static final int HEIGHT = 750;
    private final Path file;
    private final String title;
    private final Supplier<List<MetricsFile.Row>> rows;

    public CurvesWriter(Path file, String title, Supplier<List<MetricsFile.Row>> rows) {
        this.file = file;
        this.title = title;
        this.rows = rows;
    }

    /**
     * Draws the curves. A picture is not worth a run: when drawing fails (Java's graphics cannot start once the JVM
     * is shutting down, as on Ctrl+C during a check) the run goes on, without this check's curves, and says so.
     */
    @Override
    public void onCheck(TrainingContext context, CheckMetrics check) {
        try {
            Charts.writePng(chart(title, rows.get()), WIDTH, HEIGHT, file);
        } catch (RuntimeException | LinkageError e) {
            // a write failure's message names the file and the cause; other failures need their class too
            String why = e instanceof java.io.UncheckedIOException && e.getMessage() != null ? e.getMessage()
                    : e.toString();
            LOG.warn("{} not redrawn at step {}: {}", file, check.step(), why);
        }
    }

    /** The chart of the rows: losses, F2 and learning rate, the best check's step marked on every panel. */
    static JFreeChart chart(String title, List<MetricsFile.Row> rows) {
        XYSeries train = new XYSeries("train loss");
        XYSeries valid = new XYSeries("valid loss");
        XYSeries f2 = new XYSeries("valid F2");
        XYSeries lr = new XYSeries("head learning rate");
        MetricsFile.Row best = null;
        for (MetricsFile.Row r : rows) {
            if (Double.isFinite(r.trainLoss())) {
                train.add(r.step(), r.trainLoss());
            }
            valid.add(r.step(), r.validLoss());
            f2.add(r.step(), r.f2());
            lr.add(r.step(), r.lr());
            if (best == null || r.f2() > best.f2()) {
                best = r;
            }
        }
        NumberAxis steps = new NumberAxis("step");
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(steps);
        XYPlot losses = panel("loss", 0, train, valid);
        XYPlot scores = panel("F2", 2, f2);
        XYPlot rates = panel("lr", 3, lr);
        plot.add(losses, 3);
        plot.add(scores, 3);
        plot.add(rates, 2);
        if (best != null) {
            losses.addDomainMarker(bestMarker(best.step()));
            rates.addDomainMarker(bestMarker(best.step()));
            ValueMarker labelled = bestMarker(best.step());
            labelled.setLabel(String.format(Locale.ROOT, "best F2 %.4f @ %.2f, step %d", best.f2(), best.threshold(),
                    best.step()));
            labelled.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
            labelled.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            labelled.setLabelPaint(Charts.MARK);
            scores.addDomainMarker(labelled);
        }
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static ValueMarker bestMarker(long step) {
        return new ValueMarker(step, Charts.MARK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
    }

    /** One panel; its series take the colours from {@code firstColour} on, so that the legend tells them apart. */
    private static XYPlot panel(String axis, int firstColour, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        NumberAxis range = new NumberAxis(axis);
        range.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, range, null);
        Charts.style(plot, firstColour);
        return plot;
    }
}
