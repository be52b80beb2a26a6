package dev.imet.common;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * What the tool's charts (run curves, threshold curves) share: one look, rendered headless, written as PNG
 * atomically so that a viewer never sees half a file.
 */
public final class Charts {
    /** Colours of the series, in order: colour-blind safe (Okabe and Ito). */
    public static final Color[] SERIES = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0xE69F00),
        new Color(0x56B4E9)
    };
    public static final Color MARK = new Color(0xCC0000);

    private Charts() {}

    /**
     * Lines with small dots at the data points on a light grid, one colour per series, the first series taking
     * colour {@code firstColour} (panels of one chart continue each other's colours).
     */
    public static void style(XYPlot plot, int firstColour) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < SERIES.length; i++) {
            renderer.setSeriesPaint(i, SERIES[(firstColour + i) % SERIES.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    }

    /** Writes the chart as a PNG of {@code width} x {@code height} pixels, atomically. */
    public static void writePng(JFreeChart chart, int width, int height, Path file) {
        System.setProperty("java.awt.headless", "true");
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        }
        BufferedImage image = chart.createBufferedImage(width, height);
        AtomicFiles.write(file, out -> Png.write(image, out));
    }
}
