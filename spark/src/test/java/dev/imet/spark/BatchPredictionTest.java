package dev.imet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.imet.common.UsageException;
import dev.imet.data.AttributeIdsFile;
import dev.imet.data.ImageFiles;
import dev.imet.data.LabelSet;
import dev.imet.data.Sample;
import dev.imet.data.SampleData;
import dev.imet.inference.PredictionFile;
import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelFolder;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import dev.imet.model.ModelInfo;
import dev.imet.model.ModelRegistry;
import dev.imet.predict.Predictions;
import dev.imet.submit.StoredThresholds;
import dev.imet.submit.Submission;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The job in local mode (two cores, loopback only, no UI) against predict-test and make-submission on the same
 * generated images and an untrained model: the same probabilities to 1e-6 with three TTA views (the third a
 * seeded random crop), the same labels, every image once, and a bad image or a missing file as one error row.
 */
class BatchPredictionTest {
    static final int TEST_IMAGES = 40;
    static final int TTA = 3;
    static final int BATCH = 8;
    static final double TOLERANCE = 1e-6;

    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static List<String> labelNames;
    /** predict-test's probabilities and make-submission's label names, by id. */
    static Map<String, float[]> expectedProbs = new HashMap<>();
    static Map<String, Set<String>> expectedLabels = new HashMap<>();
    static SparkSession spark;

    @BeforeAll
    static void predictTestAndStartSpark() {
        data = tmp.resolve("data");
        SampleData.write(data, new SampleData.Options(8, TEST_IMAGES, 48, 11));
        labelNames = SampleData.labelNames();
        model = tmp.resolve("model");
        ModelInfo info = new ModelInfo("tiny_resnet", labelNames.size(), labelNames,
                ModelRegistry.IMAGENET_INPUT.withSize(32), null, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            ModelFolder.save(model, ModelRegistry.get("tiny_resnet").buildInitialized(labelNames.size(), 32, manager),
                    info);
        }
        Path npz = tmp.resolve("test.npz");
        // the execution the executors use (ExecutorModel), so that the rows compare exactly
        Predictions.predictTest(new Predictions.Options(model, data, TTA, BATCH, 2, ImageFiles.DEFAULT_MAX_PIXELS,
                new Execution.Request(Precision.FP32, MemoryFormat.CHANNELS_LAST, SmallConvolutions.DIRECT)), npz);
        PredictionFile predicted = PredictionFile.read(npz);
        int classes = predicted.numClasses();
        for (int row = 0; row < predicted.ids().size(); row++) {
            expectedProbs.put(predicted.ids().get(row),
                    Arrays.copyOfRange(predicted.probs(), row * classes, (row + 1) * classes));
        }
        // thresholds between two probabilities in the middle of each group's, so that images differ in labels
        ModelFolder.writeInfo(model, info.withThresholds(middleThresholds(predicted), 4));
        Path submission = tmp.resolve("submission.csv");
        Submission.make(data, List.of(npz), StoredThresholds.rule(model, null, null), false, submission);
        for (Sample sample : AttributeIdsFile.read(submission)) {
            expectedLabels.put(sample.id(),
                    Arrays.stream(sample.labels()).mapToObj(labelNames::get).collect(Collectors.toSet()));
        }

        spark = SparkSession.builder().master("local[2]").appName("imet-spark test")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Map<String, Double> middleThresholds(PredictionFile predicted) {
        LabelSet labels = new LabelSet(labelNames);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String group : labels.groups()) {
            List<Float> values = new ArrayList<>();
            for (int row = 0; row < predicted.ids().size(); row++) {
                for (int k = 0; k < labels.size(); k++) {
                    if (labels.group(k).equals(group)) {
                        values.add(predicted.probs()[row * labels.size() + k]);
                    }
                }
            }
            values.sort(null);
            int middle = values.size() / 2;
            thresholds.put(group, (values.get(middle - 1) + (double) values.get(middle)) / 2);
        }
        return thresholds;
    }

    private static BatchPrediction.Summary predict(String images, String out, Integer partitions) {
        return BatchPrediction.run(spark, new BatchPrediction.Options(model, images, tmp.resolve(out).toString(),
                TTA, BATCH, partitions, ImageFiles.DEFAULT_MAX_PIXELS, false));
    }

    private static Map<String, Row> rowsById(BatchPrediction.Summary summary) {
        List<Row> rows = spark.read().parquet(summary.out()).collectAsList();
        Map<String, Row> byId = new HashMap<>();
        for (Row row : rows) {
            assertThat(byId.put(row.getString(0), row)).as("rows of id " + row.getString(0)).isNull();
        }
        return byId;
    }

    /** The row holds predict-test's probabilities and make-submission's labels for its id. */
    private static void assertPredicted(Row row) {
        String id = row.getString(0);
        assertThat(row.isNullAt(3)).as("error of " + id + ": " + row.get(3)).isTrue();
        List<Float> probs = row.getList(1);
        float[] expected = expectedProbs.get(id);
        assertThat(probs).as(id).hasSize(expected.length);
        for (int k = 0; k < expected.length; k++) {
            assertThat((double) probs.get(k)).as(id + " label " + k).isCloseTo(expected[k], within(TOLERANCE));
        }
        assertThat(new HashSet<String>(row.getList(2))).as("labels of " + id).isEqualTo(expectedLabels.get(id));
    }

    @Test
    void aFolderGivesPredictTestsProbabilitiesAndMakeSubmissionsLabelsForEveryImageOnce() {
        BatchPrediction.Summary summary = predict(data.resolve("test").toString(), "folder", 3);
        assertThat(summary.images()).isEqualTo(TEST_IMAGES);
        assertThat(summary.failed()).isZero();

        Dataset<Row> written = spark.read().parquet(summary.out());
        StructType schema = written.schema();
        assertThat(schema.fieldNames()).containsExactly("id", "probs", "labels", "error");
        assertThat(schema.apply("id").dataType()).isEqualTo(DataTypes.StringType);
        assertThat(((ArrayType) schema.apply("probs").dataType()).elementType()).isEqualTo(DataTypes.FloatType);
        assertThat(((ArrayType) schema.apply("labels").dataType()).elementType()).isEqualTo(DataTypes.StringType);
        assertThat(schema.apply("error").dataType()).isEqualTo(DataTypes.StringType);

        Map<String, Row> rows = rowsById(summary);
        assertThat(rows.keySet()).isEqualTo(expectedProbs.keySet());
        rows.values().forEach(BatchPredictionTest::assertPredicted);
        assertThat(expectedLabels.values().stream().distinct().count()).as("images differ in labels").isGreaterThan(5);
    }

    @Test
    void aCorruptImageIsOneErrorRowAndEveryOtherImageSucceeds() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("corrupt"));
        List<String> ids = expectedProbs.keySet().stream().sorted().toList();
        for (String id : ids) {
            Files.copy(data.resolve("test").resolve(id + ".png"), images.resolve(id + ".png"));
        }
        byte[] whole = Files.readAllBytes(images.resolve(ids.get(0) + ".png"));
        Files.write(images.resolve(ids.get(0) + ".png"), Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(images.resolve(ids.get(1) + ".png"), "not an image");
        Files.write(images.resolve(ids.get(2) + ".png"), new byte[0]);
        Files.writeString(images.resolve("notes.txt"), "not listed: not an image name");

        BatchPrediction.Summary summary = predict(images.toString(), "corrupt.parquet", null);
        assertThat(summary.images()).isEqualTo(TEST_IMAGES);
        assertThat(summary.failed()).isEqualTo(3);
        Map<String, Row> rows = rowsById(summary);
        assertThat(rows.keySet()).isEqualTo(expectedProbs.keySet());
        for (String bad : ids.subList(0, 3)) {
            Row row = rows.get(bad);
            assertThat(row.getString(3)).contains(bad + ".png");
            assertThat(row.isNullAt(1)).isTrue();
            assertThat(row.isNullAt(2)).isTrue();
        }
        assertThat(rows.get(ids.get(2)).getString(3)).contains("empty file");
        ids.subList(3, ids.size()).forEach(id -> assertPredicted(rows.get(id)));
        assertThat(summary.failures()).extracting(Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(ids.subList(0, 3));
    }

    @Test
    void aListingWithAMissingFileGivesOneErrorRowForIt() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("listing"));
        List<String> ids = expectedProbs.keySet().stream().sorted().toList();
        StringBuilder csv = new StringBuilder("id,path\n");
        for (int i = 0; i < ids.size(); i++) {
            // every other path relative to the listing's folder
            String path = i % 2 == 0 ? data.resolve("test").resolve(ids.get(i) + ".png").toString()
                    : "../data/test/" + ids.get(i) + ".png";
            csv.append(ids.get(i)).append(',').append(path).append('\n');
        }
        csv.append("gone,nowhere/gone.png\n");
        Files.writeString(folder.resolve("images.csv"), csv);

        BatchPrediction.Summary summary = predict(folder.resolve("images.csv").toString(), "from-csv", 2);
        assertThat(summary.images()).isEqualTo(TEST_IMAGES + 1);
        assertThat(summary.failed()).isOne();
        Map<String, Row> rows = rowsById(summary);
        assertThat(rows.get("gone").getString(3)).startsWith("image not found: ").endsWith("listing/nowhere/gone.png");
        ids.forEach(id -> assertPredicted(rows.get(id)));
    }

    @Test
    void aParquetListingRunsOnOneEngineThreadPerTaskWithNativeMemoryBackToTheWeightsAfterEveryBatch() {
        List<String> ids = expectedProbs.keySet().stream().sorted().limit(12).toList();
        StructType schema = new StructType().add("id", DataTypes.StringType).add("path", DataTypes.StringType);
        List<Row> listing = ids.stream()
                .map(id -> RowFactory.create(id, data.resolve("test").resolve(id + ".png").toString())).toList();
        String parquet = tmp.resolve("images.parquet").toString();
        spark.createDataFrame(listing, schema).write().parquet(parquet);

        BatchPrediction.Summary summary = predict(parquet, "from-parquet", 4);
        assertThat(summary.images()).isEqualTo(ids.size());
        Map<String, Row> rows = rowsById(summary);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        rows.values().forEach(BatchPredictionTest::assertPredicted);
        assertThat(ExecutorModel.loaded()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.residentArrays()).isEqualTo(m.arraysAtLoad));
        // the engine's threads in the tasks (of this job and of later ones): spark.task.cpus
        List<Integer> threads = spark.createDataset(List.of(1, 2, 3, 4), Encoders.INT()).repartition(4)
                .map((MapFunction<Integer, Integer>) i -> JniUtils.getNumThreads(), Encoders.INT()).collectAsList();
        assertThat(threads).containsOnly(1);
    }

    @Test
    void anExistingOutputIsKeptUnlessOverwriteIsGiven() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("earlier"));
        Files.writeString(out.resolve("keep.txt"), "earlier output");
        assertThatThrownBy(() -> predict(data.resolve("test").toString(), "earlier", null))
                .isInstanceOf(UsageException.class).hasMessageContaining("exists: give --overwrite");
        assertThat(out.resolve("keep.txt")).exists();

        // the command line replaces it with --overwrite, on the session running here, and prints one summary line
        StringWriter printed = new StringWriter();
        CommandLine cl = ImetSpark.commandLine();
        cl.setOut(new PrintWriter(printed));
        int exit = cl.execute("predict", "--model", model.toString(), "--images", data.resolve("test").toString(),
                "--out", out.toString(), "--overwrite", "--tta", String.valueOf(TTA), "--batch-size", "16");
        assertThat(exit).as(printed.toString()).isZero();
        assertThat(printed.toString()).matches("(?s)wrote \\S+earlier: 40 images, 0 failed, [0-9.]+ images/s .*"
                + "labels: threshold culture=[0-9.]+,tag=[0-9.]+, max labels 4 \\(model.json\\)\\)\n");
        assertThat(out.resolve("keep.txt")).doesNotExist();
        assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(TEST_IMAGES);
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".imet-"));
        }
    }

    @Test
    void badUsageAndABadModelFolderAreOneLineBeforeSparkStarts() {
        StringWriter err = new StringWriter();
        CommandLine cl = ImetSpark.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("predict", "--model", model.toString(), "--images", "x", "--out", "y", "--tta", "0"))
                .isEqualTo(ImetSpark.EXIT_USAGE);
        assertThat(err.toString()).contains("--tta, --batch-size and --partitions must be at least 1");

        StringWriter err2 = new StringWriter();
        cl = ImetSpark.commandLine();
        cl.setErr(new PrintWriter(err2));
        assertThat(cl.execute("predict", "--model", tmp.resolve("no-model").toString(), "--images", "x", "--out", "y"))
                .isEqualTo(ImetSpark.EXIT_BAD_INPUT);
        assertThat(err2.toString().lines().toList())
                .containsExactly("error: " + tmp.resolve("no-model") + ": not a model folder (no model.json)");
    }

    @Test
    void imagesThatAreNotThereAreOneLine() {
        assertThatThrownBy(() -> predict(tmp.resolve("nothing-here").toString(), "none", null))
                .hasMessage(tmp.resolve("nothing-here") + ": not found");
        Path empty = tmp.resolve("empty");
        assertThat(empty.toFile().mkdirs()).isTrue();
        assertThatThrownBy(() -> predict(empty.toString(), "none", null))
                .hasMessageStartingWith(empty + ": no images");
    }

    @Test
    void everyOptionSaysWhatItTakesAndItsDefaultInImetsStyle() {
        CommandLine predict = ImetSpark.commandLine().getSubcommands().get("predict");
        String usage = predict.getUsageMessage();
        assertThat(usage).endsWith("\n").doesNotContain("Default:");
        for (CommandLine.Model.OptionSpec option : predict.getCommandSpec().options()) {
            assertThat(String.join(" ", option.description()).strip()).as(option.longestName()).endsWith(".");
            if (option.arity().max() > 0) {
                assertThat(option.paramLabel()).as(option.longestName()).doesNotStartWith("<");
            }
        }
    }
}
