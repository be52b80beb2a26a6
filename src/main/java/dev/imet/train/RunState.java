package dev.imet.train;

/**
 * The loop's progress and the early-stopping record: everything besides weights and optimiser moments that a
 * checkpoint must hold to continue a run where it stopped. Mutated only by the loop and its listeners.
 */
public final class RunState {
    /** Steps completed so far; the next step to run. */
    public long step;
    /** Best validation F2 so far, -1 before the first check. */
    public double bestF2 = -1;
    public double bestThreshold = Double.NaN;
    public long bestStep = -1;
    public int checksWithoutImprovement;
    /** Why the run stopped early, or null. */
    public String stopReason;

    /** A plain copy for the checkpoint's JSON. */
    public java.util.Map<String, Object> toMap() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("step", step);
        m.put("best_f2", bestF2);
        m.put("best_threshold", Double.isNaN(bestThreshold) ? null : bestThreshold);
        m.put("best_step", bestStep);
        m.put("checks_without_improvement", checksWithoutImprovement);
        return m;
    }

    public static RunState fromMap(java.util.Map<String, Object> m) {
        RunState s = new RunState();
        s.step = ((Number) m.get("step")).longValue();
        s.bestF2 = ((Number) m.get("best_f2")).doubleValue();
        Object t = m.get("best_threshold");
        s.bestThreshold = t == null ? Double.NaN : ((Number) t).doubleValue();
        s.bestStep = ((Number) m.get("best_step")).longValue();
        s.checksWithoutImprovement = ((Number) m.get("checks_without_improvement")).intValue();
        return s;
    }
}
