package dev.imet.train;

/** Stops the run after {@code patience} validation checks without a better F2 (0 turns it off). */
public final class EarlyStopping implements TrainingListener {
    private final int patience;

    public EarlyStopping(int patience) {
        this.patience = patience;
    }

    @Override
    public void onCheck(TrainingLoop loop, CheckMetrics check) {
        update(loop.state());
    }

    /** Marks the run stopped once the checks without improvement reach the patience. */
    void update(RunState s) {
        if (patience > 0 && s.checksWithoutImprovement >= patience) {
            s.stopReason = "early stop: no better F2 in " + patience + " checks (best " + String.format("%.4f", s.bestF2)
                    + " at step " + s.bestStep + ")";
        }
    }
}
