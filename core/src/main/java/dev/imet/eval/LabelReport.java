package dev.imet.eval;

import dev.imet.data.CsvTable;
import dev.imet.data.LabelSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How each label fares under a binarisation rule: support, predictions, precision and recall, and its share of the
 * mean F2. The per-image F2 = 5·tp / (5·tp + 4·fn + fp) splits over the image's true positives, each taking
 * 5 / (5·tp + 4·fn + fp); a label's contribution is the sum of its shares over the images, divided by their
 * number, so the contributions of all labels (plus the images with neither true nor predicted labels, which score 1)
 * add up to the mean F2 exactly.
 */
public final class LabelReport {
    /**
     * One label.
     *
     * @param f2Contribution its share of the mean F2
     */
    public record Row(int labelId, String name, String group, int support, int predicted, int truePositives,
            double precision, double recall, double f2Contribution) {}

    private LabelReport() {}

    /** Every label, sorted by support (most first, then by id). */
    public static List<Row> of(float[] probs, int rows, List<int[]> truth, LabelSet labels, BinarizationRule rule) {
        F2.checkShape(probs, rows, truth, labels.size());
        BinarizationRule.Binarizer binarizer = rule.forLabels(labels);
        int numClasses = labels.size();
        int[] support = new int[numClasses];
        int[] predicted = new int[numClasses];
        int[] truePositives = new int[numClasses];
        double[] shares = new double[numClasses];
        for (int row = 0; row < rows; row++) {
            int[] kept = binarizer.apply(probs, row * numClasses);
            int[] actual = sorted(truth.get(row));
            int hits = 0;
            for (int label : kept) {
                predicted[label]++;
                if (Arrays.binarySearch(actual, label) >= 0) {
                    hits++;
                }
            }
            for (int label : actual) {
                support[label]++;
            }
            double denominator = 5.0 * hits + 4.0 * (actual.length - hits) + (kept.length - hits);
            for (int label : kept) {
                if (Arrays.binarySearch(actual, label) >= 0) {
                    truePositives[label]++;
                    shares[label] += 5.0 / denominator;
                }
            }
        }
        List<Row> report = new ArrayList<>(numClasses);
        for (int id = 0; id < numClasses; id++) {
            report.add(new Row(id, labels.name(id), labels.group(id), support[id], predicted[id], truePositives[id],
                    predicted[id] == 0 ? Double.NaN : truePositives[id] / (double) predicted[id],
                    support[id] == 0 ? Double.NaN : truePositives[id] / (double) support[id], shares[id] / rows));
        }
        report.sort(Comparator.comparingInt(Row::support).reversed().thenComparingInt(Row::labelId));
        return report;
    }

    /** The share of the mean F2 of the images with neither true nor predicted labels (each scores 1). */
    public static double emptyImagesShare(float[] probs, int rows, List<int[]> truth, LabelSet labels,
            BinarizationRule rule) {
        BinarizationRule.Binarizer binarizer = rule.forLabels(labels);
        int empty = 0;
        for (int row = 0; row < rows; row++) {
            if (truth.get(row).length == 0 && binarizer.apply(probs, row * labels.size()).length == 0) {
                empty++;
            }
        }
        return empty / (double) rows;
    }

    /** The columns of {@code labels.csv}. */
    public static final List<String> COLUMNS = List.of("label_id", "name", "group", "support", "predicted",
            "true_positives", "precision", "recall", "f2_contribution");
    public static final String FILE_NAME = "labels.csv";

    /** Writes the report as {@code labels.csv} (atomically); an undefined precision or recall is left empty. */
    public static void write(Path file, List<Row> rows) {
        CsvTable.write(file, COLUMNS, rows.size(), i -> values(rows.get(i)));
    }

    /** A row's values as {@code labels.csv} writes them, in the order of {@link #COLUMNS}. */
    public static List<String> values(Row r) {
        return List.of(Integer.toString(r.labelId()), r.name(), r.group(), Integer.toString(r.support()),
                Integer.toString(r.predicted()), Integer.toString(r.truePositives()), ratio(r.precision()),
                ratio(r.recall()), String.format(Locale.ROOT, "%.6f", r.f2Contribution()));
    }

    /** Reads a {@code labels.csv}; an InputException naming the file and line of a bad row. */
    public static List<Row> read(Path file) {
        return CsvTable.readAll(file, COLUMNS, r -> new Row(Integer.parseInt(r.value(0)), r.value(1), r.value(2),
                Integer.parseInt(r.value(3)), Integer.parseInt(r.value(4)), Integer.parseInt(r.value(5)),
                number(r.value(6)), number(r.value(7)), Double.parseDouble(r.value(8))));
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static double number(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    private static int[] sorted(int[] ids) {
        for (int i = 1; i < ids.length; i++) {
            if (ids[i - 1] > ids[i]) {
                int[] copy = ids.clone();
                Arrays.sort(copy);
                return copy;
            }
        }
        return ids;
    }
}
