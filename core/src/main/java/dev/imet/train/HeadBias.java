package dev.imet.train;

import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * The classifier's biases set to one logit before training, as RetinaNet initialises its classifier (Lin et al.,
 * 2017: a prior probability for every class): with a thousand labels and a few positives per image, the first
 * steps then need not push a thousand outputs from 0.5 down to near 0 before anything else is learnt.
 */
final class HeadBias {
    static final String PARAMETER = "fc.bias";

    private HeadBias() {}

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
