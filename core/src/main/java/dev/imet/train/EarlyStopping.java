package dev.imet.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Model selection and early stopping: keeps the best validation check so far and stops the run after
 * {@code patience} checks without a better F2 (0: never). Its state is saved in the checkpoint, so a resumed run
 * keeps its best check, counts on from where it was, and stays stopped when it had stopped.
 */
public final class EarlyStopping {
    /** The key of this state in the checkpoint. */
    static final String STATE_KEY = "early_stopping";

    private final int patience;
    private double bestF2 = -1;
    private double bestThreshold = Double.NaN;
    private long bestStep = -1;
    private int checksWithoutImprovement;
    private String stopReason;

    public EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be 0 or more: " + patience);
        }
        this.patience = patience;
    }

    /** Records a check; returns whether it is better than every earlier one. */
    public boolean record(long step, double f2, double threshold) {
        boolean improved = f2 > bestF2;
        if (improved) {
            bestF2 = f2;
            bestThreshold = threshold;
            bestStep = step;
            checksWithoutImprovement = 0;
        } else {
            checksWithoutImprovement++;
        }
        if (patience > 0 && checksWithoutImprovement >= patience && stopReason == null) {
            stopReason = String.format(Locale.ROOT, "early stop: no better F2 in %d checks (best %.4f at step %d)",
                    patience, bestF2, bestStep);
        }
        return improved;
    }

    /** Why the run stopped early, or null while it goes on. */
    public String stopReason() {
        return stopReason;
    }

    /** Best F2 so far, -1 before the first check. */
    public double bestF2() {
        return bestF2;
    }

    public double bestThreshold() {
        return bestThreshold;
    }

    public long bestStep() {
        return bestStep;
    }

    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best_f2", bestF2);
        m.put("best_threshold", Double.isNaN(bestThreshold) ? null : bestThreshold);
        m.put("best_step", bestStep);
        m.put("checks_without_improvement", checksWithoutImprovement);
        m.put("stop_reason", stopReason);
        return m;
    }

    void restore(Map<String, Object> m) {
        bestF2 = ((Number) m.get("best_f2")).doubleValue();
        Object threshold = m.get("best_threshold");
        bestThreshold = threshold == null ? Double.NaN : ((Number) threshold).doubleValue();
        bestStep = ((Number) m.get("best_step")).longValue();
        checksWithoutImprovement = ((Number) m.get("checks_without_improvement")).intValue();
        stopReason = (String) m.get("stop_reason");
    }
}
