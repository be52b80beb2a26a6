package dev.imet.spark;

import dev.imet.common.InputException;
import dev.imet.data.ImageFiles;
import dev.imet.model.ModelFolder;
import dev.imet.predict.Predictions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The job: a model folder run over a collection of images into Parquet ({@code id}, {@code probs} in label
 * order, {@code labels} by make-submission's rule, {@code error}), on whatever Spark the session runs on.
 */
public final class BatchPrediction {
    /** Images per partition when --partitions is not given; at least one partition per core. */
    static final int IMAGES_PER_PARTITION = 256;
    /** Failed images named in the summary. */
    static final int FAILURES_SHOWN = 10;

    /**
     * What to run.
     *
     * @param model a model folder on the driver's machine (its files reach the executors through Spark)
     * @param images a folder or glob of images, or a .csv / .parquet listing of id,path
     * @param out the Parquet folder to write (any Hadoop file system)
     * @param tta views averaged, as predict-test's --tta
     * @param partitions how many tasks share the images, or null for one per {@value #IMAGES_PER_PARTITION} images
     */
    public record Options(Path model, String images, String out, int tta, int batchSize, Integer partitions,
            long maxImagePixels, boolean overwrite) {
        public Options {
            if (tta < 1 || batchSize < 1 || (partitions != null && partitions < 1)) {
                throw new IllegalArgumentException("--tta, --batch-size and --partitions must be at least 1");
            }
            ImageFiles.requirePixelLimit(maxImagePixels);
        }
    }

    /**
     * What the job did: every image is one row of {@code out}; {@code failed} of them hold an error.
     *
     * @param seconds from reading the model to the output in place
     * @param failures some of the failed images: id and error
     */
    public record Summary(String out, long images, long failed, double seconds, int partitions, String labels,
            List<Map.Entry<String, String>> failures) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    private BatchPrediction() {}

    /** The model folder's description and labels rule, checked (an InputException naming what is wrong). */
    static LabelRule checkModel(Path model) {
        LabelRule labels = LabelRule.of(model);
        labels.forModel(ModelFolder.readInfo(model));
        return labels;
    }

    public static Summary run(SparkSession spark, Options options) {
        long start = System.nanoTime();
        LabelRule labels = checkModel(options.model());
        ModelFiles files = ModelFiles.read(options.model());
        OutputFolder out = OutputFolder.prepare(options.out(), options.overwrite(),
                spark.sparkContext().hadoopConfiguration());
        int cores = spark.sparkContext().defaultParallelism();
        ImageListing listing = ImageListing.read(spark, options.images(), count -> options.partitions() != null
                ? options.partitions()
                : (int) Math.max(cores, Math.min(Integer.MAX_VALUE, (count + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION)));
        if (listing.count() == 0) {
            throw new InputException(options.images() + ": no images (" + ImageListing.IMAGE_GLOB + ")");
        }

        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelFiles> model = context.broadcast(files);
        HashMap<String, String> hadoopConf = new HashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> hadoopConf.put(e.getKey(), e.getValue()));
        Broadcast<HashMap<String, String>> conf = context.broadcast(hadoopConf);
        PartitionPredictor.Tally tally = new PartitionPredictor.Tally(spark.sparkContext().longAccumulator("images"),
                spark.sparkContext().longAccumulator("failed"), spark.sparkContext().collectionAccumulator("failures"));
        try {
            listing.rows()
                    .mapPartitions(new PartitionPredictor(model, conf, options.tta(), options.batchSize(),
                            options.maxImagePixels(), Predictions.TTA_SEED, tally), Encoders.bean(PredictionRow.class))
                    .select(PredictionRow.COLUMNS[0], PredictionRow.COLUMNS[1], PredictionRow.COLUMNS[2],
                            PredictionRow.COLUMNS[3])
                    .write().parquet(out.staging());
            out.commit();
        } catch (RuntimeException e) {
            out.abandon();
            throw e;
        } finally {
            model.destroy();
            conf.destroy();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Map.Entry<String, String>> failures = tally.failures().value().stream().limit(FAILURES_SHOWN)
                .map(f -> Map.entry(String.valueOf(f.id()), f.error())).toList();
        return new Summary(out.target(), tally.images().value(), tally.failed().value(), seconds,
                listing.partitions(), labels.describe(), failures);
    }
}
