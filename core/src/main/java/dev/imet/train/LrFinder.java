package dev.imet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.imet.common.Charts;
import dev.imet.common.InputSpec;
import dev.imet.common.UsageException;
import dev.imet.data.Batch;
import dev.imet.data.BatchLoader;
import dev.imet.data.DataFolder;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.FoldSplit;
import dev.imet.data.Transforms;
import dev.imet.inference.Progress;
import dev.imet.model.Execution;
import dev.imet.model.LoadReport;
import dev.imet.model.ModelRegistry;
import dev.imet.model.ModelSpec;
import dev.imet.model.StateDict;
import dev.imet.run.TrainConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning-rate range test (Smith 2017; fastai's {@code lr_find}): the network that {@code train} would train,
 * on the images it would train on, with its optimiser, loss and mixup, trained for a few hundred steps while the
 * head's rate grows exponentially from a tiny one to a huge one (the other groups at their ratios). The loss,
 * smoothed as fastai smooths it, falls, flattens and then blows up; the rate to train at lies before the minimum.
 * Nothing is written but the plot.
 */
public final class LrFinder {
    private static final Logger LOG = LoggerFactory.getLogger(LrFinder.class);
    public static final int STEPS = 200;
    public static final double START_LR = 1e-7;
    public static final double END_LR = 10;
    /** fastai's smoothing of the loss: an exponential moving average with this factor, bias-corrected. */
    static final double SMOOTHING = 0.98;
    /** fastai stops the sweep once the smoothed loss exceeds this many times its minimum. */
    static final double DIVERGED = 4;
    /** Points at the end of the sweep that the suggestion ignores, as fastai's {@code skip_end}. */
    static final int SKIP_END = 5;
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private LrFinder() {}

    /** The sweep: how many steps, from which head rate to which, and where the plot goes. */
    public record Sweep(int steps, double startLr, double endLr, Path plot) {
        public Sweep {
            if (steps < 2 * SKIP_END) {
                throw new UsageException("--steps must be at least " + 2 * SKIP_END + ", not " + steps);
            }
            if (!(startLr > 0 && endLr > startLr)) {
                throw new UsageException("the sweep needs 0 < --start-lr < --end-lr, got " + startLr + " and " + endLr);
            }
        }

        /** The head's rate at step i (0-based): startLr * (endLr / startLr)^(i / (steps - 1)). */
        public double lr(int step) {
            return startLr * Math.pow(endLr / startLr, step / (double) (steps - 1));
        }
    }

    /** One step of the sweep: the head's rate, the batch's loss and the smoothed loss. */
    public record Point(double lr, double loss, double smoothedLoss) {}

    /**
     * The rates the curve suggests: where the smoothed loss is lowest, where it falls fastest against the logarithm
     * of the rate (before the minimum; null when the loss never falls), and fastai's {@code valley}, the suggestion:
     * the point a half of the way along the longest run of falling loss. The minimum over 10 (fastai's older
     * {@code lr_min}) lands far too late here: the smoothing lags by tens of steps, and with a thousand labels the
     * loss first falls to the floor of predicting every label absent (measured on OpenMoji: valley 5.5e-4, minimum
     * over 10 0.13; docs/learning.md).
     */
    public record Suggestion(double minimumLr, Double steepestLr, double valleyLr) {
        public double suggestedLr() {
            return valleyLr;
        }
    }

    /** What the sweep did; {@code stopReason} null when it ran all its steps. */
    public record Result(int images, List<Point> points, Suggestion suggestion, String stopReason, Path plot) {}

    /** Runs the sweep with the network, data and objective that {@code options} give {@code train}. */
    public static Result run(TrainOptions options, Sweep sweep) {
        TrainConfig resolved = options.resolve();
        DataFolder data = DataFolder.load(resolved.data().dir(), resolved.data().maxImagePixels());
        FoldSplit split = FoldSplit.of(data, resolved.data().folds(), resolved.data().fold());
        TrainConfig config = HeadBias.resolvePrior(resolved, split.train(), data.labels().size());
        InputSpec input = config.network().input();
        long seed = config.loop().seed();
        int numClasses = data.labels().size();
        long stepsPerEpoch = TrainingLoop.stepsPerEpoch(split.train().size(), config.loop());
        List<Point> points = new ArrayList<>();
        String stopReason = null;
        // the execution train would choose (auto: the processor, a measurement), before the generator is seeded
        ModelSpec spec = ModelRegistry.get(config.network().arch());
        Execution execution = Training.execution(Training.resolve(config, spec, numClasses));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            Block block = spec.buildInitialized(numClasses, input.size(), manager, execution.precision(),
                    execution.smallConvolutions());
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
            HeadBias.apply(parameters, config.network().headBias());
            LoadReport pretrained = Training.loadPretrained(config.network(), block);
            if (pretrained != null) {
                LOG.info("pretrained weights {}: {}", pretrained.file(), pretrained.summary());
            }
            HeadBias.describe(config.network(), split.train().size(), pretrained).ifPresent(LOG::info);
            freeze(parameters, config.schedule().freezeStages());
            AdamW optimizer = AdamW.forNetwork(parameters, config.optimizer().weightDecay(), manager);
            TrainStep step = new TrainStep(block, optimizer, manager, config.objective().lossFunction(),
                    config.optimizer().clipNorm(), execution.memoryFormat());
            DecodedImageCache cache = DecodedImageCache.withDefaultBudget();
            double average = 0;
            double best = Double.POSITIVE_INFINITY;
            try (Progress progress = Progress.of("lr-find", (long) sweep.steps() * config.loop().batchSize())) {
                for (int epoch = 0; points.size() < sweep.steps() && stopReason == null; epoch++) {
                    var loaderOptions = BatchLoader.Options.training(config.loop().batchSize(), seed, epoch)
                            .withWorkers(config.loop().workers()).withCache(cache)
                            .withMaxPixels(config.data().maxImagePixels());
                    try (BatchLoader loader = new BatchLoader(split.train(), numClasses, Transforms.train(input),
                            loaderOptions)) {
                        var batches = loader.iterator(0);
                        for (long inEpoch = 0; inEpoch < stepsPerEpoch && batches.hasNext()
                                && points.size() < sweep.steps() && stopReason == null; inEpoch++) {
                            Batch batch = batches.next();
                            int i = points.size();
                            double lr = sweep.lr(i);
                            double loss = step(step, batch, config, lr, i);
                            loader.recycle(batch);
                            progress.advance(batch.count());
                            if (!Double.isFinite(loss)) {
                                stopReason = "the loss is " + loss + " at rate " + format(lr);
                                break;
                            }
                            average = SMOOTHING * average + (1 - SMOOTHING) * loss;
                            double smoothed = average / (1 - Math.pow(SMOOTHING, i + 1));
                            points.add(new Point(lr, loss, smoothed));
                            best = Math.min(best, smoothed);
                            if (smoothed > DIVERGED * best) {
                                stopReason = "the smoothed loss passed " + (int) DIVERGED + " times its minimum at"
                                        + " rate " + format(lr);
                            }
                        }
                    }
                }
            }
        }
        if (points.size() <= SKIP_END) {
            throw new dev.imet.common.InputException("the sweep stopped after " + points.size() + " steps ("
                    + stopReason + "): raise --start-lr or lower --end-lr");
        }
        Suggestion suggestion = suggest(points);
        writePlot(sweep.plot(), config.network().arch() + ", " + input.size() + " px, batch "
                + config.loop().batchSize() + ", loss " + config.objective().loss().name().toLowerCase(), points,
                suggestion);
        return new Result(split.train().size(), points, suggestion, stopReason, sweep.plot());
    }

    /** One optimiser step at the head's rate {@code lr}, with the mixup and engine seeds train draws at that step. */
    private static double step(TrainStep step, Batch batch, TrainConfig config, double lr, long stepNumber) {
        double[] lrs = new double[ParamGroups.COUNT];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = lr * config.optimizer().lrRatios()[g];
        }
        double mixup = config.objective().mixupAlpha();
        if (mixup > 0) {
            Mixup.apply(batch.images(), batch.targets(), batch.count(),
                    new SplittableRandom(config.loop().seed() * 1_000_003L + stepNumber), mixup);
        }
        Engine.getInstance().setRandomSeed(TrainingLoop.engineSeed(config.loop().seed(), stepNumber));
        return step.run(batch, lrs);
    }

    /** Stage 2's freezing: everything trains but the first {@code freezeStages} stages. */
    private static void freeze(LinkedHashMap<String, Parameter> parameters, int freezeStages) {
        parameters.forEach((name, p) -> {
            if (AdamW.isTrainable(p) && ParamGroups.stage(name) < freezeStages) {
                p.freeze(true);
            }
        });
    }

    /**
     * fastai's rules on the smoothed curve without its last {@link #SKIP_END} points: the rate of the lowest loss,
     * the rate where the loss falls fastest against log(rate) (central differences, one-sided at the ends) up to
     * that minimum, and the valley (fastai's {@code valley}: the longest decreasing subsequence of the loss, and the
     * rate at a half of its span).
     */
    static Suggestion suggest(List<Point> points) {
        int n = Math.max(1, points.size() - SKIP_END);
        int minimum = 0;
        for (int i = 1; i < n; i++) {
            if (points.get(i).smoothedLoss() < points.get(minimum).smoothedLoss()) {
                minimum = i;
            }
        }
        Integer steepest = null;
        double steepestSlope = 0;
        for (int i = 0; i <= minimum && n > 1; i++) {
            int before = Math.max(0, i - 1);
            int after = Math.min(n - 1, i + 1);
            double slope = (points.get(after).smoothedLoss() - points.get(before).smoothedLoss())
                    / (Math.log(points.get(after).lr()) - Math.log(points.get(before).lr()));
            if (slope < steepestSlope) {
                steepestSlope = slope;
                steepest = i;
            }
        }
        return new Suggestion(points.get(minimum).lr(), steepest == null ? null : points.get(steepest).lr(),
                points.get(valley(points, n)).lr());
    }

    /** fastai's {@code valley} on the first {@code n} smoothed losses, as its source has it. */
    static int valley(List<Point> points, int n) {
        int[] runs = new int[n];
        java.util.Arrays.fill(runs, 1);
        int end = 0;
        int start = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (points.get(i).smoothedLoss() < points.get(j).smoothedLoss() && runs[i] < runs[j] + 1) {
                    runs[i] = runs[j] + 1;
                }
                if (runs[end] < runs[i]) {
                    end = i;
                    start = end - runs[end];
                }
            }
        }
        double sections = (end - start) / 3.0;
        return Math.max(0, Math.min(n - 1, start + (int) sections + (int) (sections / 2)));
    }

    /** {@code lr_find.png}: the loss and the smoothed loss against the rate (log scale), the suggestions marked. */
    static void writePlot(Path file, String title, List<Point> points, Suggestion suggestion) {
        XYSeries raw = new XYSeries("loss");
        XYSeries smoothed = new XYSeries("smoothed loss");
        for (Point p : points) {
            raw.add(p.lr(), p.loss());
            smoothed.add(p.lr(), p.smoothedLoss());
        }
        XYSeriesCollection series = new XYSeriesCollection();
        series.addSeries(raw);
        series.addSeries(smoothed);
        LogAxis rate = new LogAxis("head learning rate");
        rate.setSmallestValue(points.get(0).lr());
        NumberAxis loss = new NumberAxis("train loss");
        loss.setAutoRangeIncludesZero(false);
        // the loss blows up at the end: the range shows the smoothed curve but for its last points, as fastai's plot
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (Point p : points.subList(0, Math.max(1, points.size() - SKIP_END))) {
            lowest = Math.min(lowest, Math.min(p.loss(), p.smoothedLoss()));
            highest = Math.max(highest, Math.max(p.smoothedLoss(), points.get(0).loss()));
        }
        double margin = Math.max(0.05 * (highest - lowest), 1e-6);
        loss.setRange(lowest - margin, highest + 2 * margin);
        XYPlot plot = new XYPlot(series, rate, loss, null);
        Charts.style(plot, 0);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, new Color(0xAAAAAA));
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesStroke(0, new BasicStroke(1f));
        renderer.setSeriesShapesVisible(1, false);
        plot.addDomainMarker(marker(suggestion.suggestedLr(), "suggested --lr " + format(suggestion.suggestedLr())
                + " (valley)", RectangleAnchor.TOP_RIGHT, TextAnchor.TOP_LEFT));
        plot.addDomainMarker(marker(suggestion.minimumLr(), "minimum " + format(suggestion.minimumLr()),
                RectangleAnchor.BOTTOM_RIGHT, TextAnchor.BOTTOM_LEFT));
        if (suggestion.steepestLr() != null) {
            plot.addDomainMarker(marker(suggestion.steepestLr(), "steepest " + format(suggestion.steepestLr()),
                    RectangleAnchor.RIGHT, TextAnchor.CENTER_LEFT));
        }
        Charts.writePng(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), WIDTH, HEIGHT, file);
    }

    private static ValueMarker marker(double lr, String label, RectangleAnchor anchor, TextAnchor textAnchor) {
        ValueMarker marker = new ValueMarker(lr, Charts.MARK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelAnchor(anchor);
        marker.setLabelTextAnchor(textAnchor);
        marker.setLabelPaint(Charts.MARK);
        return marker;
    }

    /** A rate as the user would type it: 3.2e-04. */
    public static String format(double lr) {
        return String.format(Locale.ROOT, "%.2g", lr).replace("e-0", "e-").replace("e+0", "e");
    }
}
