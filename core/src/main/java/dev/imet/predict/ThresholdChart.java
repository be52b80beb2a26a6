package dev.imet.predict;

import dev.imet.common.Charts;
import dev.imet.eval.ThresholdSearch;
import dev.imet.eval.Thresholds;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code thresholds.png} of a validated model: the mean F2 against the threshold, one line for one threshold for
 * every label and one per group (the other groups at their chosen thresholds), the chosen points marked.
 */
final class ThresholdChart {
    static final String FILE_NAME = "thresholds.png";
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private ThresholdChart() {}

    /** @param groups the label groups, in order */
    static void write(Path file, String title, Map<String, double[]> curves, Thresholds chosen, double chosenF2,
            java.util.List<String> groups) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> curve : curves.entrySet()) {
            XYSeries series = new XYSeries(curve.getKey());
            for (int i = 0; i < curve.getValue().length; i++) {
                series.add(ThresholdSearch.gridValue(i), curve.getValue()[i]);
            }
            data.addSeries(series);
        }
        XYSeries points = new XYSeries("chosen");
        data.addSeries(points);
        NumberAxis f2 = new NumberAxis("mean F2");
        f2.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis("threshold"), f2, null);
        Charts.style(plot, 0);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        int chosenSeries = data.getSeriesCount() - 1;
        renderer.setSeriesLinesVisible(chosenSeries, false);
        renderer.setSeriesShape(chosenSeries, new Ellipse2D.Double(-6, -6, 12, 12));
        renderer.setSeriesPaint(chosenSeries, Charts.MARK);
        // one threshold for all (or a single group): the point lies on the all-labels curve; else on each group's
        boolean onAll = chosen.isGlobal() || curves.size() == 1;
        for (String curve : curves.keySet()) {
            boolean all = curve.equals(ThresholdSearch.ALL_LABELS);
            if (all != onAll) {
                continue;
            }
            double t = chosen.forGroup(all ? groups.get(0) : curve);
            points.add(t, chosenF2);
            XYTextAnnotation label = new XYTextAnnotation(String.format(Locale.ROOT, "  %s %.2f: F2 %.4f",
                    all ? "threshold" : curve, t, chosenF2), t, chosenF2);
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            label.setPaint(Charts.MARK);
            plot.addAnnotation(label);
        }
        Charts.writePng(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), WIDTH, HEIGHT, file);
    }
}
