package dev.imet.model;

import ai.djl.ndarray.NDManager;
import dev.imet.common.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code inspect-weights} reports: a weights file's tensors and parameter count and, for an architecture,
 * which keys match, are missing, are unexpected or have another shape. A file fits an architecture when
 * {@link LoadReport#fits()}: everything outside the classifier matches exactly. The number of classes defaults
 * to the rows of the file's {@code fc.weight} (1000 if it has none); with another number the classifier differs
 * and is reported, yet the file still fits: {@code --pretrained} skips such a classifier.
 */
public final class WeightsInspection {
    /** Tensors listed one per line before the listing is cut short. */
    public static final int LIST_LIMIT = 40;
    private static final int DEFAULT_CLASSES = 1000;

    /** The report's lines, and whether the file fits the architecture (true when none was asked for). */
    public record Result(List<String> lines, boolean fits) {}

    private WeightsInspection() {}

    public static Result inspect(Path file, String arch, Integer classes, String prefixMapping, boolean listAll) {
        ModelSpec spec = arch == null ? null : ModelRegistry.get(arch);
        PrefixMapping mapping = PrefixMapping.parse(prefixMapping);
        WeightsFile.Contents contents = WeightsFile.read(file);
        List<String> lines = new ArrayList<>();
        describeTensors(contents, listAll, lines);
        if (spec == null) {
            return new Result(lines, true);
        }
        LinkedHashMap<String, TensorData> tensors = PretrainedWeights.rename(contents, mapping);
        int fileClasses = classesOf(tensors.get(ResNet.CLASSIFIER + ".weight"));
        int numClasses = classes != null ? classes : fileClasses > 0 ? fileClasses : DEFAULT_CLASSES;
        String classSource = classes != null ? "" : fileClasses > 0 ? ", from the file's classifier" : ", the default";
        LoadReport report = PretrainedWeights.compare(file, tensors, networkShapes(spec, numClasses));
        lines.add("against " + spec.name() + " (" + numClasses + " classes" + classSource + "): "
                + report.loaded().size() + " match, " + report.missing().size() + " missing, "
                + report.unexpected().size() + " unexpected, " + report.mismatched().size() + " shape mismatches");
        for (String problem : report.problems()) {
            lines.add("  " + problem);
        }
        if (!report.fits()) {
            lines.add("does not fit " + spec.name());
        } else if (!report.classifierMismatches().isEmpty() || report.missing().stream().anyMatch(LoadReport::isClassifier)) {
            lines.add("fits " + spec.name() + " except the classifier, which --pretrained leaves freshly initialised");
        } else {
            lines.add("fits " + spec.name());
        }
        return new Result(lines, report.fits());
    }

    /** The rows of a 2-D classifier weight that holds values, 0 if there is none such or it has over 2^31 - 1 rows. */
    static int classesOf(TensorData classifier) {
        if (classifier == null || classifier.shape().length != 2 || classifier.numel() == 0
                || classifier.shape()[0] > Integer.MAX_VALUE) {
            return 0;
        }
        return (int) classifier.shape()[0];
    }

    /**
     * The network's parameter shapes for {@code numClasses} classes, taken from a network built for one: only the
     * classifier's rows depend on the count, and a count read from a file must not size what is allocated.
     */
    private static LinkedHashMap<String, long[]> networkShapes(ModelSpec spec, int numClasses) {
        LinkedHashMap<String, long[]> shapes;
        try (NDManager manager = NDManager.newBaseManager()) {
            shapes = PretrainedWeights.shapes(StateDict.parameters(spec.buildInitialized(1, manager)));
        }
        shapes.replaceAll((name, shape) -> {
            if (!LoadReport.isClassifier(name)) {
                return shape;
            }
            long[] rows = shape.clone();
            rows[0] = numClasses;
            return rows;
        });
        return shapes;
    }

    private static void describeTensors(WeightsFile.Contents contents, boolean listAll, List<String> lines) {
        Map<String, TensorData> tensors = contents.tensors();
        lines.add(contents.file() + ": " + contents.format() + ", " + tensors.size() + " tensors");
        // names come from the file: printable, so that none drives the terminal or spans lines
        List<String> names = tensors.keySet().stream().map(Printable::of).toList();
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        int shown = listAll || tensors.size() <= LIST_LIMIT ? tensors.size() : LIST_LIMIT / 2;
        int i = 0;
        for (TensorData tensor : tensors.values()) {
            if (i == shown) {
                break;
            }
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %-4s  %s", names.get(i++), tensor.dtype(),
                    TensorData.formatShape(tensor.shape())));
        }
        if (shown < tensors.size()) {
            lines.add("  ... " + (tensors.size() - shown) + " more (--all lists every tensor)");
        }
        Map<DType, Integer> byType = new TreeMap<>();
        long parameters = 0;
        long buffers = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            byType.merge(e.getValue().dtype(), 1, Integer::sum);
            if (isBuffer(e.getKey())) {
                buffers += e.getValue().numel();
            } else {
                parameters += e.getValue().numel();
            }
        }
        StringBuilder types = new StringBuilder("dtypes:");
        byType.forEach((t, n) -> types.append(' ').append(t).append(' ').append(n));
        lines.add(types.toString());
        lines.add(String.format(Locale.ROOT, "parameters: %,d (plus %,d values of batch-norm running statistics)",
                parameters, buffers));
    }

    /** Batch-norm running statistics, which PyTorch keeps as buffers rather than parameters. */
    private static boolean isBuffer(String name) {
        return name.endsWith("running_mean") || name.endsWith("running_var") || StateDict.isNumBatchesTracked(name);
    }
}
