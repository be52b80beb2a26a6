package dev.imet.spark;

import dev.imet.common.InputException;
import dev.imet.data.ImageFiles;
import dev.imet.data.RgbImage;
import dev.imet.inference.Predictor;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The executors' side of the job: one partition of {@code (id, path)} rows in, one {@link PredictionRow} out per
 * row, in order. Rows are taken a batch at a time: the images are read and decoded (a bad one becomes an error
 * row), then the network runs the batch's views. The partition's predictor is given back when the partition
 * ends, or when its task does (failed or killed).
 */
final class PartitionPredictor implements MapPartitionsFunction<Row, PredictionRow> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelFiles> model;
    private final Broadcast<HashMap<String, String>> hadoopConf;
    private final int tta;
    private final int batchSize;
    private final long maxPixels;
    private final long ttaSeed;
    private final Tally tally;

    /**
     * What the tasks count for the summary, exactly once per row: the rows are predicted in the tasks of the
     * job's one stage, whose accumulator updates Spark applies once per partition whatever the retries.
     *
     * @param failures at most {@link BatchPrediction#FAILURES_SHOWN} of each partition's failed rows
     */
    record Tally(LongAccumulator images, LongAccumulator failed, CollectionAccumulator<Failure> failures)
            implements Serializable {}

    /** A row that holds an error. */
    record Failure(String id, String error) implements Serializable {}

    PartitionPredictor(Broadcast<ModelFiles> model, Broadcast<HashMap<String, String>> hadoopConf, int tta,
            int batchSize, long maxPixels, long ttaSeed, Tally tally) {
        this.model = model;
        this.hadoopConf = hadoopConf;
        this.tta = tta;
        this.batchSize = batchSize;
        this.maxPixels = maxPixels;
        this.ttaSeed = ttaSeed;
        this.tally = tally;
    }

    @Override
    public Iterator<PredictionRow> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        ExecutorModel loaded = ExecutorModel.get(model.id(), model::value);
        ExecutorModel.useEngineThreads(task != null ? task.cpus() : 1);
        Partition partition = new Partition(rows, loaded, new ImageBytes(hadoopConf.value()));
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> partition.close());
        }
        return partition;
    }

    /** The rows of one partition as they are predicted, a batch ahead of the consumer at most. */
    private final class Partition implements Iterator<PredictionRow> {
        private final Iterator<Row> rows;
        private final ExecutorModel loaded;
        private final ImageBytes files;
        private final ArrayDeque<PredictionRow> ready = new ArrayDeque<>();
        private Predictor predictor;
        private int failuresKept;

        Partition(Iterator<Row> rows, ExecutorModel loaded, ImageBytes files) {
            this.rows = rows;
            this.loaded = loaded;
            this.files = files;
            this.predictor = loaded.borrow(batchSize, maxPixels);
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && predictor != null) {
                if (rows.hasNext()) {
                    predictBatch();
                } else {
                    close();
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public PredictionRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void predictBatch() {
            PredictionRow[] out = new PredictionRow[batchSize];
            int count = 0;
            List<Integer> slots = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<RgbImage> images = new ArrayList<>();
            while (count < batchSize && rows.hasNext()) {
                Row row = rows.next();
                String id = row.getString(0);
                String path = row.getString(1);
                try {
                    if (id == null || path == null) {
                        throw new InputException(id == null ? "listing row without an id (path " + path + ")"
                                : "listing row without a path");
                    }
                    images.add(ImageFiles.decodeChecked(files.read(path), path, maxPixels));
                    ids.add(id);
                    slots.add(count);
                } catch (InputException e) {
                    out[count] = PredictionRow.failed(id, e.getMessage());
                } catch (RuntimeException e) {
                    // whatever else one image throws stays that image's error: a bad file never fails the job
                    out[count] = PredictionRow.failed(id, "cannot read image " + path + ": " + e);
                }
                count++;
            }
            if (!ids.isEmpty()) {
                int classes = loaded.info.numClasses();
                float[] probs = predictor.predictDecoded(ids, images, classes, tta, ttaSeed).probs();
                for (int i = 0; i < ids.size(); i++) {
                    float[] row = Arrays.copyOfRange(probs, i * classes, (i + 1) * classes);
                    out[slots.get(i)] = PredictionRow.predicted(ids.get(i), row, labelNames(row));
                }
            }
            for (int i = 0; i < count; i++) {
                ready.add(out[i]);
                if (out[i].getError() != null) {
                    tally.failed().add(1);
                    if (failuresKept++ < BatchPrediction.FAILURES_SHOWN) {
                        tally.failures().add(new Failure(out[i].getId(), out[i].getError()));
                    }
                }
            }
            tally.images().add(count);
        }

        private String[] labelNames(float[] probs) {
            int[] labels = loaded.labels.apply(probs, 0);
            String[] names = new String[labels.length];
            for (int i = 0; i < labels.length; i++) {
                names[i] = loaded.info.labels().get(labels[i]);
            }
            return names;
        }

        /** Gives the predictor back, once. */
        synchronized void close() {
            if (predictor != null) {
                loaded.giveBack(predictor, batchSize, maxPixels);
                predictor = null;
            }
        }
    }
}
