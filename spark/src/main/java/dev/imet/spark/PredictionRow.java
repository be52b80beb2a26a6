package dev.imet.spark;

import java.io.Serializable;

/**
 * One row of the job's Parquet output: an image's id, its probabilities in label order and the names of its
 * labels, or (probs and labels null) why it could not be read. A Java bean, for Spark's bean encoder.
 */
public final class PredictionRow implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The output's columns, in this order. */
    static final String[] COLUMNS = {"id", "probs", "labels", "error"};

    private String id;
    private float[] probs;
    private String[] labels;
    private String error;

    public PredictionRow() {}

    static PredictionRow predicted(String id, float[] probs, String[] labels) {
        PredictionRow row = new PredictionRow();
        row.id = id;
        row.probs = probs;
        row.labels = labels;
        return row;
    }

    static PredictionRow failed(String id, String error) {
        PredictionRow row = new PredictionRow();
        row.id = id;
        row.error = error;
        return row;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public float[] getProbs() {
        return probs;
    }

    public void setProbs(float[] probs) {
        this.probs = probs;
    }

    public String[] getLabels() {
        return labels;
    }

    public void setLabels(String[] labels) {
        this.labels = labels;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }
}
