package dev.imet.spark;

import dev.imet.data.ImageFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code imet-spark predict}: the batch-prediction job, in local mode or under spark-submit. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict every image of a collection with a model folder into Parquet (id, probs, labels,"
                + " error).")
public final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model folder on this machine (a training run folder is one).")
    Path model;

    @Option(names = "--images", required = true, paramLabel = "PATH", description = "A folder or glob of images"
            + " (any depth; the id is the file name without extension), or a .csv/.parquet listing with columns"
            + " id,path.")
    String images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet folder to write.")
    String out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else"
            + " local[*]).")
    String master;

    @Option(names = "--tta", defaultValue = "2", paramLabel = "N", description = "Views averaged: 1 plain, 2 adds"
            + " the mirror, more add seeded random crops (default: ${DEFAULT-VALUE}).")
    int tta;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", paramLabel = "N", description = "Tasks the images are shared among (default:"
            + " one per " + BatchPrediction.IMAGES_PER_PARTITION + " images, at least one per core).")
    Integer partitions;

    @Option(names = "--max-image-pixels", paramLabel = "N", description = "Refuse images that declare more pixels,"
            + " before decoding them (default: ${DEFAULT-VALUE}, as PIL).")
    long maxImagePixels = ImageFiles.DEFAULT_MAX_PIXELS;

    @Option(names = "--overwrite", description = "Replace the output folder if it exists.")
    boolean overwrite;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, as spark-submit's --conf"
            + " (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() {
        BatchPrediction.Options options;
        try {
            options = new BatchPrediction.Options(model, images, out, tta, batchSize, partitions, maxImagePixels,
                    overwrite);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BatchPrediction.checkModel(options.model()); // before Spark starts: a bad folder is told at once
        boolean running = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession spark = session();
        BatchPrediction.Summary summary;
        try {
            summary = BatchPrediction.run(spark, options);
        } finally {
            if (!running) {
                spark.stop();
            }
        }
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "wrote %s: %d images, %d failed, %.1f images/s (%.1f s, %d partitions, tta %d;"
                        + " labels: %s)%n", summary.out(), summary.images(), summary.failed(),
                summary.imagesPerSecond(), summary.seconds(), summary.partitions(), tta, summary.labels());
        summary.failures().forEach(f -> printer.printf("failed %s: %s%n", f.getKey(), f.getValue()));
        if (summary.failed() > summary.failures().size()) {
            printer.printf(Locale.ROOT, "... and %d more (rows whose error is not null)%n",
                    summary.failed() - summary.failures().size());
        }
        printer.flush();
        return ImetSpark.EXIT_OK;
    }

    /**
     * The session: spark-submit's master unless --master; a local one listens on the loopback only. A session
     * already running in this JVM is used as it is (and left running).
     */
    private SparkSession session() {
        String url = master != null ? master : new SparkConf().get("spark.master", "local[*]");
        SparkSession.Builder builder = SparkSession.builder().appName("imet-spark predict").master(url);
        if (url.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        conf.forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        if (!ImetSpark.logsConfigured()) {
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }
}
