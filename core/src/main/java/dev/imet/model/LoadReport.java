package dev.imet.model;

import dev.imet.common.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a weights file's tensors (after prefix mapping) line up with a network's parameters.
 *
 * @param file       the weights file
 * @param loaded     network parameters that the file holds with the right shape (set by a load)
 * @param missing    network parameters the file does not hold
 * @param unexpected file tensors the network has no parameter for ({@code num_batches_tracked} of an existing
 *                   batch norm is never unexpected: it is accepted and ignored)
 * @param mismatched names held by both with different shapes
 */
public record LoadReport(Path file, List<String> loaded, List<String> missing, List<String> unexpected,
                         List<Mismatch> mismatched) {

    /** A name both sides hold with different shapes. */
    public record Mismatch(String name, long[] fileShape, long[] networkShape) {
        @Override
        public String toString() {
            return name + ": file " + TensorData.formatShape(fileShape) + ", network " + TensorData.formatShape(networkShape);
        }
    }

    public LoadReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
    }

    /** True for the classifier's parameters, which are replaced when the number of classes changes. */
    public static boolean isClassifier(String name) {
        return name.startsWith(ResNet.CLASSIFIER + ".");
    }

    /** Mismatched names that belong to the classifier: skipped on load, the network keeps its initial values. */
    public List<Mismatch> classifierMismatches() {
        return mismatched.stream().filter(m -> isClassifier(m.name())).toList();
    }

    /**
     * True if the file can initialise the network: every parameter outside the classifier is there with its
     * shape, and nothing is left over. The classifier may be absent or of another shape (another number of
     * classes): then it keeps its fresh initialisation.
     */
    public boolean fits() {
        return unexpected.isEmpty()
                && missing.stream().allMatch(LoadReport::isClassifier)
                && mismatched.stream().allMatch(m -> isClassifier(m.name()));
    }

    /** True if every parameter is loaded and nothing is left over. */
    public boolean isExact() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    /** One line per problem: missing, unexpected and mismatched names. */
    public List<String> problems() {
        List<String> lines = new ArrayList<>();
        missing.forEach(n -> lines.add("missing: " + n));
        unexpected.forEach(n -> lines.add("unexpected: " + Printable.of(n))); // names from the file
        mismatched.forEach(m -> lines.add("shape mismatch: " + m));
        return lines;
    }

    /**
     * What keeps the file from fitting ({@link #fits()} is false exactly when this is not empty), one line each:
     * the mismatched shapes outside the classifier first, as they tell most about which network the file is,
     * then the missing parameters outside the classifier, then the tensors the network has no parameter for.
     */
    public List<String> fitProblems() {
        List<String> lines = new ArrayList<>();
        mismatched.stream().filter(m -> !isClassifier(m.name())).forEach(m -> lines.add("shape mismatch: " + m));
        missing.stream().filter(n -> !isClassifier(n)).forEach(n -> lines.add("missing: " + n));
        unexpected.forEach(n -> lines.add("unexpected: " + Printable.of(n))); // names from the file
        return lines;
    }

    /** The first {@value #PROBLEMS_SHOWN} problems joined into one line, and how many more there are. */
    public static String describe(List<String> problems) {
        int shown = Math.min(PROBLEMS_SHOWN, problems.size());
        return String.join("; ", problems.subList(0, shown))
                + (problems.size() > shown ? "; ... (" + (problems.size() - shown) + " more)" : "");
    }

    /** How many problems a message lists. */
    static final int PROBLEMS_SHOWN = 10;

    /** "loaded 320 of 322 parameters, 2 missing, 0 unexpected, 0 shape mismatches". */
    public String summary() {
        int total = loaded.size() + missing.size() + mismatched.size();
        return "loaded " + loaded.size() + " of " + total + " parameters, " + missing.size() + " missing, "
                + unexpected.size() + " unexpected, " + mismatched.size() + " shape mismatches";
    }
}
