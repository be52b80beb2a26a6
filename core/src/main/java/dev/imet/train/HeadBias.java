package dev.imet.train;

import ai.djl.nn.Parameter;
import dev.imet.data.ImageItem;
import dev.imet.model.LoadReport;
import dev.imet.run.TrainConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The classifier's biases set to one logit before training, as RetinaNet initialises its classifier (Lin et al.,
 * 2017: a prior probability for every class): with a thousand labels and a few positives per image, the first
 * steps then need not push a thousand outputs from 0.5 down to near 0 before anything else is learnt.
 */
final class HeadBias {
    static final String PARAMETER = "fc.bias";

    private HeadBias() {}

    /**
     * {@code config} with {@code --head-bias prior} computed from the images it trains on; any other
     * configuration as it is.
     */
    static TrainConfig resolvePrior(TrainConfig config, List<ImageItem> train, int numClasses) {
        TrainConfig.Network network = config.network();
        // no training images: the run is refused later, with its own message (fewer than one batch)
        if (!network.headBiasPrior() || network.headBias() != null || train.isEmpty()) {
            return config;
        }
        double logit = priorLogit(train, numClasses);
        return config.withNetwork(network.withPriorHeadBias(logit));
    }

    /**
     * The log line that says where the classifier's biases start; empty for PyTorch's initialisation, and when
     * {@code pretrained} (null: none) replaced them.
     */
    static Optional<String> describe(TrainConfig.Network network, int trainImages, LoadReport pretrained) {
        if (network.headBias() == null || pretrained != null && pretrained.loaded().contains(PARAMETER)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "head bias: %.3f%s", network.headBias(), network.headBiasPrior()
                ? ", the logit of the mean label frequency of the " + trainImages + " training images" : ""));
    }

    /**
     * The logit of the mean label frequency, {@code log(p / (1 - p))} with p the positives over images times
     * labels: the bias at which a classifier that knows nothing else has the least loss. p is held within
     * [1 / (2 images labels), 1/2], so that a set without labels (or with every label) still gives a finite bias.
     */
    static double priorLogit(List<ImageItem> train, int numClasses) {
        if (train.isEmpty() || numClasses <= 0) {
            throw new IllegalArgumentException("the prior needs training images and labels");
        }
        long positives = 0;
        for (ImageItem item : train) {
            positives += item.labels().length;
        }
        double cells = (double) train.size() * numClasses;
        double p = Math.min(0.5, Math.max(positives / cells, 0.5 / cells));
        return Math.log(p / (1 - p));
    }

    /** Sets {@code fc.bias} to {@code bias}; null leaves the initialisation as it is. */
    static void apply(Map<String, Parameter> parameters, Double bias) {
        if (bias == null) {
            return;
        }
        Parameter head = parameters.get(PARAMETER);
        if (head == null) {
            throw new IllegalStateException("the network has no " + PARAMETER);
        }
        head.getArray().muli(0).addi(bias.floatValue());
    }
}
