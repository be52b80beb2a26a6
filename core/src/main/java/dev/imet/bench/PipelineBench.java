package dev.imet.bench;

import dev.imet.data.LabelSet;
import dev.imet.eval.BinarizationRule;
import dev.imet.eval.ThresholdSearch;
import dev.imet.eval.Thresholds;
import dev.imet.folds.MakeFolds;
import dev.imet.inference.PredictionFile;
import dev.imet.submit.Submission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the non-network stages on synthetic data of the real iMet sizes: make-folds, the threshold search
 * and make-submission. Data is generated in a temporary folder (deleted afterwards); each stage runs once,
 * in this JVM, through the stage API the commands call, with their defaults (cold). Run by bench/pipeline.sh.
 */
@Command(name = "pipeline-bench", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Time make-folds, threshold search and make-submission on synthetic iMet-sized data.")
public final class PipelineBench implements Callable<Integer> {
    @Option(names = "--train-rows", description = "Rows of train.csv for make-folds.")
    int trainRows = 109_237;

    @Option(names = "--culture", description = "Number of culture labels.")
    int cultureLabels = 398;

    @Option(names = "--tags", description = "Number of tag labels.")
    int tagLabels = 705;

    @Option(names = "--valid-rows", description = "Rows of the threshold search.")
    int validRows = 38_801;

    @Option(names = "--test-rows", split = ",", description = "Test-set sizes for make-submission.")
    int[] testRows = {7_443, 38_801};

    @Option(names = "--files", description = "Prediction files averaged by make-submission.")
    int files = 8;

    @Option(names = "--seed", description = "Seed of the synthetic data.")
    long seed = 1;

    private final List<String> results = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBench()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("imet-pipeline-bench");
        try {
            LabelSet labels = writeLabels(dir);
            SyntheticLabels synthetic = new SyntheticLabels(labels, cultureLabels, seed);
            benchMakeFolds(dir, synthetic);
            benchThresholdSearch(labels, synthetic);
            for (int rows : testRows) {
                benchMakeSubmission(dir, labels, synthetic, rows);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        System.out.println("{" + String.join(", ", results) + "}");
        return 0;
    }

    private void report(String key, String what, double seconds, double target) {
        System.out.printf(Locale.ROOT, "%-62s %7.2f s  (target < %.0f s)%n", what, seconds, target);
        results.add(String.format(Locale.ROOT, "\"%s\": %.3f", key, seconds));
    }

    private LabelSet writeLabels(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        StringBuilder csv = new StringBuilder("attribute_id,attribute_name\n");
        for (int id = 0; id < cultureLabels + tagLabels; id++) {
            String name = id < cultureLabels ? "culture::c" + id : "tag::t" + id;
            names.add(name);
            csv.append(id).append(',').append(name).append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), csv);
        return new LabelSet(names);
    }

    private void benchMakeFolds(Path dir, SyntheticLabels synthetic) throws IOException {
        SplittableRandom random = new SplittableRandom(seed + 1);
        long occurrences = 0;
        try (Writer writer = Files.newBufferedWriter(dir.resolve("train.csv"), StandardCharsets.UTF_8)) {
            writer.write("id,attribute_ids\n");
            for (int row = 0; row < trainRows; row++) {
                int[] rowLabels = synthetic.draw(random);
                occurrences += rowLabels.length;
                writer.write(imageId(row, random));
                writer.write(',');
                writer.write(String.join(" ", Arrays.stream(rowLabels).mapToObj(Integer::toString).toList()));
                writer.write('\n');
            }
        }
        long start = System.nanoTime();
        MakeFolds.run(MakeFolds.Options.defaults(dir));
        report("make_folds_s", String.format(Locale.ROOT, "make-folds %,d rows x %d labels (%.1f labels/row)",
                trainRows, cultureLabels + tagLabels, occurrences / (double) trainRows), seconds(start), 20);
    }

    private void benchThresholdSearch(LabelSet labels, SyntheticLabels synthetic) {
        SplittableRandom random = new SplittableRandom(seed + 2);
        List<int[]> truth = new ArrayList<>(validRows);
        for (int row = 0; row < validRows; row++) {
            truth.add(synthetic.draw(random));
        }
        float[] probs = synthetic.probabilities(truth, random);
        String size = String.format(Locale.ROOT, "%,d x %d, %d thresholds", validRows, labels.size(),
                ThresholdSearch.GRID_SIZE);
        long start = System.nanoTime();
        ThresholdSearch.Result global = ThresholdSearch.search(probs, validRows, truth, labels, 10, false);
        report("threshold_search_s", "threshold search, one threshold, " + size, seconds(start), 10);
        start = System.nanoTime();
        ThresholdSearch.Result perGroup = ThresholdSearch.search(probs, validRows, truth, labels, 10, true);
        report("threshold_search_per_group_s", "threshold search, per group, " + size, seconds(start), 10);
        System.out.printf(Locale.ROOT, "  (best: f2 %.4f @ %s; per group f2 %.4f @ %s)%n", global.f2(),
                global.thresholds().format(), perGroup.f2(), perGroup.thresholds().format());
    }

    private void benchMakeSubmission(Path dir, LabelSet labels, SyntheticLabels synthetic, int rows) {
        SplittableRandom random = new SplittableRandom(seed + 3 + rows);
        List<String> ids = new ArrayList<>(rows);
        List<int[]> truth = new ArrayList<>(rows);
        StringBuilder sample = new StringBuilder("id,attribute_ids\n");
        for (int row = 0; row < rows; row++) {
            ids.add(imageId(row, random));
            truth.add(synthetic.draw(random));
            sample.append(ids.get(row)).append(",0 1 2\n");
        }
        writeString(dir.resolve("sample_submission.csv"), sample.toString());
        List<Path> predictionFiles = new ArrayList<>();
        for (int file = 0; file < files; file++) {
            // Each file lists the ids in its own order, so the alignment has work to do.
            List<String> order = new ArrayList<>(ids);
            Collections.shuffle(order, new Random(seed + file));
            List<int[]> orderedTruth = new ArrayList<>(rows);
            Map<String, Integer> rowOf = new HashMap<>();
            for (int row = 0; row < rows; row++) {
                rowOf.put(ids.get(row), row);
            }
            for (String id : order) {
                orderedTruth.add(truth.get(rowOf.get(id)));
            }
            Path path = dir.resolve("pred" + file + ".npz");
            new PredictionFile(order, labels.size(), synthetic.probabilities(orderedTruth, random)).write(path);
            predictionFiles.add(path);
        }
        String what = String.format(Locale.ROOT, "make-submission %d files x %,d x %d", files, rows, labels.size());
        BinarizationRule rule = new BinarizationRule(Thresholds.global(Submission.DEFAULT_THRESHOLD),
                BinarizationRule.DEFAULT_MAX_LABELS);
        Path out = dir.resolve("submission.csv");
        long start = System.nanoTime();
        Submission.make(dir, predictionFiles, rule, false, out);
        report("make_submission_" + rows + "_s", what, seconds(start), 20);
        start = System.nanoTime();
        Submission.make(dir, predictionFiles, rule, true, out);
        report("make_submission_rank_mean_" + rows + "_s", what + " --rank-mean", seconds(start), 20);
    }

    private static String imageId(int row, SplittableRandom random) {
        return String.format("%08x%08x", row, random.nextInt());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * iMet-like labels: one culture label (two for 20 % of images) and 2-4 tags, each drawn with Zipf
     * frequencies (weight 1 / rank) over a shuffled order of the ids; probabilities from a noisy model.
     */
    private static final class SyntheticLabels {
        private final int numClasses;
        private final int[] culture;
        private final int[] tags;
        private final double[] cultureCumulative;
        private final double[] tagCumulative;

        SyntheticLabels(LabelSet labels, int cultureLabels, long seed) {
            numClasses = labels.size();
            SplittableRandom random = new SplittableRandom(seed);
            culture = shuffled(0, cultureLabels, random);
            tags = shuffled(cultureLabels, numClasses, random);
            cultureCumulative = zipf(culture.length);
            tagCumulative = zipf(tags.length);
        }

        int[] draw(SplittableRandom random) {
            int cultures = random.nextInt(5) == 0 ? 2 : 1;
            int tagCount = 2 + random.nextInt(3);
            TreeSet<Integer> chosen = new TreeSet<>();
            while (chosen.size() < cultures) {
                chosen.add(culture[pick(cultureCumulative, random)]);
            }
            while (chosen.size() < cultures + tagCount) {
                chosen.add(tags[pick(tagCumulative, random)]);
            }
            return chosen.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Row-major probabilities: true labels mostly high, the others mostly near zero. */
        float[] probabilities(List<int[]> truth, SplittableRandom random) {
            float[] probs = new float[truth.size() * numClasses];
            for (int row = 0; row < truth.size(); row++) {
                int base = row * numClasses;
                for (int label = 0; label < numClasses; label++) {
                    double u = random.nextDouble();
                    probs[base + label] = (float) (0.3 * u * u * u * u);
                }
                for (int label : truth.get(row)) {
                    probs[base + label] = (float) random.nextDouble(0.05, 1.0);
                }
            }
            return probs;
        }

        private static int[] shuffled(int from, int to, SplittableRandom random) {
            int[] ids = IntStream.range(from, to).toArray();
            for (int i = ids.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = ids[i];
                ids[i] = ids[j];
                ids[j] = swap;
            }
            return ids;
        }

        private static double[] zipf(int size) {
            double[] cumulative = new double[size];
            double total = 0;
            for (int rank = 0; rank < size; rank++) {
                total += 1.0 / (rank + 1);
                cumulative[rank] = total;
            }
            return cumulative;
        }

        private static int pick(double[] cumulative, SplittableRandom random) {
            int at = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[cumulative.length - 1]);
            return Math.min(cumulative.length - 1, at < 0 ? -at - 1 : at);
        }
    }
}
