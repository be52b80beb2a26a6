package dev.imet.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.imet.common.InputException;
import dev.imet.common.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a weights file (safetensors, npz, PyTorch zip or legacy state dict) into an initialised network by
 * PyTorch parameter name. A classifier of another shape (another number of classes) is skipped and keeps its
 * initial values; any other shape difference is an error naming the key and both shapes. Missing and unexpected
 * keys are reported, logged and left to the caller ({@link LoadReport#fits()}).
 */
public final class PretrainedWeights {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainedWeights.class);

    private PretrainedWeights() {}

    /**
     * Loads a weights file that fits the network: every parameter outside the classifier must be in the file with
     * its shape, and nothing left over; a classifier of another shape (other classes) keeps its fresh values, as
     * fine-tuning to new labels needs. An InputException listing what does not fit otherwise, before any
     * parameter is changed.
     *
     * @param prefixMapping nullable; "old=new,..." renames the file's keys first (see {@link PrefixMapping})
     */
    public static LoadReport load(Path file, Block initializedBlock, String prefixMapping) {
        return load(file, initializedBlock, prefixMapping, false);
    }

    /**
     * Loads whatever parameters of the file fit the network by name and shape; the others keep their fresh
     * values, each kind named in a warning.
     */
    public static LoadReport loadPartial(Path file, Block initializedBlock, String prefixMapping) {
        return load(file, initializedBlock, prefixMapping, true);
    }

    private static LoadReport load(Path file, Block initializedBlock, String prefixMapping, boolean partial) {
        PrefixMapping mapping = PrefixMapping.parse(prefixMapping);
        WeightsFile.Contents contents = WeightsFile.read(file);
        LinkedHashMap<String, Parameter> parameters = StateDict.parameters(initializedBlock);
        LinkedHashMap<String, TensorData> tensors = rename(contents, mapping);
        LoadReport report = compare(file, tensors, shapes(parameters));
        if (!partial && !report.fits()) {
            throw new InputException(file + ": does not fit the network (" + report.summary() + "): "
                    + LoadReport.describe(report.fitProblems())
                    + ". Check it with inspect-weights; --pretrained-partial loads only what fits");
        }
        for (LoadReport.Mismatch m : report.classifierMismatches()) {
            LOG.info("{}: classifier {} skipped (kept freshly initialised)", file, m);
        }
        List<String> backbone = report.mismatched().stream().filter(m -> !LoadReport.isClassifier(m.name()))
                .map(LoadReport.Mismatch::toString).toList();
        if (!backbone.isEmpty()) {
            LOG.warn("{}: {} parameters of another shape (kept freshly initialised): {}", file, backbone.size(),
                    abbreviate(backbone));
        }
        if (!report.missing().isEmpty()) {
            LOG.warn("{}: {} parameters not in the file (kept freshly initialised): {}", file,
                    report.missing().size(), abbreviate(report.missing()));
        }
        if (!report.unexpected().isEmpty()) {
            LOG.warn("{}: {} tensors the network has no parameter for (ignored): {}", file,
                    report.unexpected().size(), abbreviate(report.unexpected().stream().map(Printable::of).toList()));
        }
        apply(report, tensors, parameters);
        LOG.info("{} ({}): {}", file, contents.format(), report.summary());
        return report;
    }

    /** Sets every loaded parameter of the report from its tensor. */
    static void apply(LoadReport report, Map<String, TensorData> tensors, Map<String, Parameter> parameters) {
        for (String name : report.loaded()) {
            StateDict.setValues(parameters.get(name), tensors.get(name).toFloats());
        }
    }

    /** The file's tensors under their mapped names; two keys mapped to one name are an error. */
    static LinkedHashMap<String, TensorData> rename(WeightsFile.Contents contents, PrefixMapping mapping) {
        LinkedHashMap<String, TensorData> renamed = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : contents.tensors().entrySet()) {
            String name = mapping.apply(e.getKey());
            String earlier = origin.put(name, e.getKey());
            if (earlier != null) {
                throw new InputException(contents.file() + ": keys '" + earlier + "' and '" + e.getKey()
                        + "' both become '" + name + "' under the prefix mapping");
            }
            renamed.put(name, e.getValue());
        }
        return renamed;
    }

    static LinkedHashMap<String, long[]> shapes(Map<String, Parameter> parameters) {
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        parameters.forEach((name, p) -> shapes.put(name, p.getShape().getShape()));
        return shapes;
    }

    /** Lines the file's tensors up with the network's parameter shapes (in the network's order). */
    static LoadReport compare(Path file, Map<String, TensorData> tensors, Map<String, long[]> expected) {
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LoadReport.Mismatch> mismatched = new ArrayList<>();
        Set<String> counters = new HashSet<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String counter = StateDict.numBatchesTrackedFor(e.getKey());
            if (counter != null) {
                counters.add(counter);
            }
            TensorData tensor = tensors.get(e.getKey());
            if (tensor == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(tensor.shape(), e.getValue())) {
                mismatched.add(new LoadReport.Mismatch(e.getKey(), tensor.shape(), e.getValue()));
            } else {
                loaded.add(e.getKey());
            }
        }
        List<String> unexpected = tensors.keySet().stream()
                .filter(name -> !expected.containsKey(name) && !counters.contains(name)).toList();
        return new LoadReport(file, loaded, missing, unexpected, mismatched);
    }

    private static String abbreviate(List<String> names) {
        int shown = 8;
        return names.size() <= shown ? String.join(", ", names)
                : String.join(", ", names.subList(0, shown)) + ", ... (" + (names.size() - shown) + " more)";
    }
}
