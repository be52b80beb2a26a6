package dev.imet.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * One synthetic image of the sample data set: a background, an optional frame, and up to three shapes, each
 * with a kind, a colour and a fill style. Every label is something plainly visible, so a small CNN can learn it.
 * Geometry is in fractions of the image size, so the same scene renders at any size.
 */
record SampleScene(Background background, boolean framed, List<Figure> figures) {
    enum Background { DARK, LIGHT, GRADIENT }
    enum Kind { CIRCLE, SQUARE, TRIANGLE, STAR, CROSS }
    enum Hue { RED, GREEN, BLUE, YELLOW, MAGENTA }
    enum Fill { SOLID, STRIPED, DOTTED, OUTLINED }

    /** A shape centred at (x, y) with radius r, all as fractions of the image size, turned by {@code angle} radians. */
    record Figure(Kind kind, Hue hue, Fill fill, double x, double y, double r, double angle) {}

    /** The label names in id order: the background and frame as {@code culture::}, the rest as {@code tag::}. */
    static final List<String> LABEL_NAMES = List.of(
            "culture::dark", "culture::gradient", "culture::light", "culture::framed",
            "tag::circle", "tag::square", "tag::triangle", "tag::star", "tag::cross",
            "tag::red", "tag::green", "tag::blue", "tag::yellow", "tag::magenta",
            "tag::striped", "tag::dotted", "tag::outlined",
            "tag::two", "tag::three", "tag::large");

    static final int MAX_LABELS = 6;
    static final double LARGE_RADIUS = 0.28;
    private static final double FRAME_WIDTH = 1.0 / 16;

    /** The label ids this scene shows, ascending. */
    int[] labels() {
        TreeSet<String> names = new TreeSet<>();
        names.add("culture::" + lower(background));
        if (framed) {
            names.add("culture::framed");
        }
        for (Figure figure : figures) {
            names.add("tag::" + lower(figure.kind()));
            names.add("tag::" + lower(figure.hue()));
            if (figure.fill() != Fill.SOLID) {
                names.add("tag::" + lower(figure.fill()));
            }
            if (figure.r() >= LARGE_RADIUS) {
                names.add("tag::large");
            }
        }
        if (figures.size() == 2) {
            names.add("tag::two");
        } else if (figures.size() == 3) {
            names.add("tag::three");
        }
        return names.stream().mapToInt(LABEL_NAMES::indexOf).sorted().toArray();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Draws a random scene: long-tailed frequencies (dark backgrounds and circles common, magenta and crosses
     * rare), further shapes often repeating the first one's kind, hue or fill, and at most {@link #MAX_LABELS}
     * labels. Only the random stream decides, so a seed reproduces the scene.
     */
    static SampleScene random(Random rng) {
        while (true) {
            SampleScene scene = draw(rng);
            if (scene != null && scene.labels().length <= MAX_LABELS) {
                return scene;
            }
        }
    }

    private static SampleScene draw(Random rng) {
        Background background = pick(rng, Background.values(), 0.45, 0.35, 0.20);
        boolean framed = rng.nextDouble() < 0.12;
        int count = pick(rng, new Integer[] {0, 1, 2, 3}, 0.04, 0.56, 0.26, 0.14);
        boolean large = count == 1 && rng.nextDouble() < 0.2;
        double margin = FRAME_WIDTH + 0.04;
        List<Figure> figures = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Figure first = k == 0 ? null : figures.get(0);
            Kind kind = first != null && rng.nextDouble() < 0.5 ? first.kind() : pick(rng, Kind.values(), 0.30, 0.25, 0.20, 0.15, 0.10);
            Hue hue = first != null && rng.nextDouble() < 0.5 ? first.hue() : pick(rng, Hue.values(), 0.30, 0.20, 0.25, 0.15, 0.10);
            Fill fill = first != null && rng.nextDouble() < 0.6 ? first.fill() : pick(rng, Fill.values(), 0.55, 0.20, 0.15, 0.10);
            double r = large ? LARGE_RADIUS + 0.06 * rng.nextDouble() : 0.11 + 0.05 * rng.nextDouble();
            double angle = Math.toRadians(rng.nextDouble() * 20 - 10);
            Figure placed = null;
            for (int attempt = 0; attempt < 50 && placed == null; attempt++) {
                double x = margin + r + rng.nextDouble() * (1 - 2 * (margin + r));
                double y = margin + r + rng.nextDouble() * (1 - 2 * (margin + r));
                Figure candidate = new Figure(kind, hue, fill, x, y, r, angle);
                if (figures.stream().allMatch(other -> Math.hypot(other.x() - x, other.y() - y) > other.r() + r + 0.04)) {
                    placed = candidate;
                }
            }
            if (placed == null) {
                return null; // no room: draw a new scene
            }
            figures.add(placed);
        }
        return new SampleScene(background, framed, List.copyOf(figures));
    }

    private static <T> T pick(Random rng, T[] values, double... weights) {
        double u = rng.nextDouble() * java.util.Arrays.stream(weights).sum();
        for (int k = 0; k < values.length - 1; k++) {
            u -= weights[k];
            if (u < 0) {
                return values[k];
            }
        }
        return values[values.length - 1];
    }

    /** The scene as an RGB image of {@code size} x {@code size} pixels. */
    BufferedImage render(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            paintBackground(g, size);
            if (framed) {
                paintFrame(g, size);
            }
            for (Figure figure : figures) {
                paintFigure(g, figure, size);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private void paintBackground(Graphics2D g, int size) {
        switch (background) {
            case DARK -> g.setColor(new Color(28, 28, 32));
            case LIGHT -> g.setColor(new Color(232, 232, 224));
            case GRADIENT -> g.setPaint(new GradientPaint(0, 0, new Color(20, 20, 24), 0, size, new Color(240, 240, 236)));
        }
        g.fillRect(0, 0, size, size);
    }

    /** A black outer band and a white inner band, so the frame shows on every background. */
    private static void paintFrame(Graphics2D g, int size) {
        double band = Math.max(1, size * FRAME_WIDTH / 2);
        g.setColor(Color.BLACK);
        g.fill(ring(0, size, band));
        g.setColor(Color.WHITE);
        g.fill(ring(band, size - 2 * band, band));
    }

    private static Shape ring(double offset, double extent, double width) {
        Area ring = new Area(new Rectangle2D.Double(offset, offset, extent, extent));
        ring.subtract(new Area(new Rectangle2D.Double(offset + width, offset + width, extent - 2 * width, extent - 2 * width)));
        return ring;
    }

    private static void paintFigure(Graphics2D g, Figure figure, int size) {
        Shape outline = outline(figure, size);
        Color color = color(figure.hue());
        Color dark = new Color(color.getRed() * 35 / 100, color.getGreen() * 35 / 100, color.getBlue() * 35 / 100);
        double period = Math.max(4, size / 10.0);
        switch (figure.fill()) {
            case SOLID -> {
                g.setColor(color);
                g.fill(outline);
            }
            case OUTLINED -> {
                g.setColor(color);
                g.setStroke(new BasicStroke((float) Math.max(1.5, size / 24.0), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(outline);
            }
            case STRIPED -> {
                Shape clip = g.getClip();
                g.setColor(dark);
                g.fill(outline);
                g.clip(outline);
                g.setColor(color);
                g.setStroke(new BasicStroke((float) (period / 2), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
                for (double offset = -size; offset < size; offset += period) {
                    g.draw(new Line2D.Double(offset, size, offset + size, 0));
                }
                g.setClip(clip);
            }
            case DOTTED -> {
                Shape clip = g.getClip();
                g.setColor(color);
                g.fill(outline);
                g.clip(outline);
                g.setColor(dark);
                double dot = period * 0.3;
                for (double y = period / 2; y < size; y += period) {
                    for (double x = period / 2; x < size; x += period) {
                        g.fill(new Ellipse2D.Double(x - dot, y - dot, 2 * dot, 2 * dot));
                    }
                }
                g.setClip(clip);
            }
        }
    }

    private static Color color(Hue hue) {
        return switch (hue) {
            case RED -> new Color(225, 35, 35);
            case GREEN -> new Color(35, 175, 50);
            case BLUE -> new Color(40, 80, 235);
            case YELLOW -> new Color(245, 215, 25);
            case MAGENTA -> new Color(215, 45, 215);
        };
    }

    /** The figure's outline in pixels. */
    private static Shape outline(Figure figure, int size) {
        double r = figure.r() * size;
        Shape unit = switch (figure.kind()) {
            case CIRCLE -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            case SQUARE -> new Rectangle2D.Double(-0.85 * r, -0.85 * r, 1.7 * r, 1.7 * r);
            case TRIANGLE -> polygon(3, r, r);
            case STAR -> polygon(5, r, 0.45 * r);
            case CROSS -> {
                Area cross = new Area(new Rectangle2D.Double(-r, -0.3 * r, 2 * r, 0.6 * r));
                cross.add(new Area(new Rectangle2D.Double(-0.3 * r, -r, 0.6 * r, 2 * r)));
                yield cross;
            }
        };
        AffineTransform place = AffineTransform.getTranslateInstance(figure.x() * size, figure.y() * size);
        place.rotate(figure.angle());
        return place.createTransformedShape(unit);
    }

    /** A regular polygon (inner == outer) or star with {@code points} tips, the first pointing up. */
    private static Shape polygon(int points, double outer, double inner) {
        Path2D.Double path = new Path2D.Double();
        boolean star = inner != outer;
        int corners = star ? 2 * points : points;
        for (int k = 0; k < corners; k++) {
            double radius = star && k % 2 == 1 ? inner : outer;
            double angle = -Math.PI / 2 + 2 * Math.PI * k / corners;
            if (k == 0) {
                path.moveTo(radius * Math.cos(angle), radius * Math.sin(angle));
            } else {
                path.lineTo(radius * Math.cos(angle), radius * Math.sin(angle));
            }
        }
        path.closePath();
        return path;
    }
}
