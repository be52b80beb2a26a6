package dev.imet.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.imet.common.InputException;
import dev.imet.data.ImageFiles;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code --images} names, as rows {@code (id, path)} spread over partitions: a folder or glob of images,
 * listed by Spark's {@code binaryFile} source (any depth, the image extensions of a data folder; the id is the
 * file name without its extension, as in a data folder's {@code test/}), or a CSV (with a header) or Parquet
 * listing with the columns {@code id} and {@code path}, whose relative paths are taken from the listing's
 * folder. Only the listing is read here; the executors read the images.
 *
 * @param count rows in all
 * @param partitions how many partitions share them
 */
record ImageListing(Dataset<Row> rows, long count, int partitions) {
    static final String ID = "id";
    static final String PATH = "path";
    static final StructType SCHEMA = new StructType().add(ID, DataTypes.StringType).add(PATH, DataTypes.StringType);
    /** Image names binaryFile keeps: the data folder's extensions, in either case. */
    static final String IMAGE_GLOB = ImageFiles.EXTENSIONS.stream()
            .flatMap(e -> Stream.of(e, e.toUpperCase(Locale.ROOT)))
            .collect(Collectors.joining(",", "*.{", "}"));

    /** @param partitionsFor the partitions for a number of rows */
    static ImageListing read(SparkSession spark, String images, LongToIntFunction partitionsFor) {
        requireExists(spark, images);
        String lower = images.toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".csv")) {
                return listing(spark, spark.read().option("header", "true").csv(images), images, partitionsFor);
            }
            if (lower.endsWith(".parquet")) {
                return listing(spark, spark.read().parquet(images), images, partitionsFor);
            }
            return folder(spark, images, partitionsFor);
        } catch (Exception e) {
            throw listingError(images, e);
        }
    }

    /**
     * The files binaryFile lists, spread evenly over the partitions without a shuffle (Spark lists them on the
     * driver anyway). Its scan is not used: it skips empty files and fails its task on a file it cannot read,
     * where each must be one error row; the tasks read the files themselves.
     */
    private static ImageListing folder(SparkSession spark, String images, LongToIntFunction partitionsFor) {
        String[] files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", IMAGE_GLOB)
                .load(images)
                .inputFiles();
        List<Row> rows = Arrays.stream(files).sorted().map(uri -> {
            Path path = new Path(URI.create(uri));
            String name = path.getName();
            return RowFactory.create(name.substring(0, name.lastIndexOf('.')), path.toString());
        }).toList();
        int partitions = rows.isEmpty() ? 1 : partitionsFor.applyAsInt(rows.size());
        return new ImageListing(spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), SCHEMA),
                rows.size(), partitions);
    }

    /** A listing file's rows, shuffled into the partitions (a listing can be larger than the driver holds). */
    private static ImageListing listing(SparkSession spark, Dataset<Row> table, String listing,
            LongToIntFunction partitionsFor) throws IOException {
        List<String> columns = Arrays.asList(table.columns());
        if (!columns.contains(ID) || !columns.contains(PATH)) {
            throw new InputException(listing + ": a listing needs the columns id and path, found "
                    + String.join(", ", columns));
        }
        String base = qualifiedParent(spark, listing);
        // absolute paths and URIs (scheme:...) as they are; the others from the listing's folder
        Dataset<Row> rows = table.select(col(ID).cast("string").as(ID),
                when(col(PATH).rlike("^(/|[A-Za-z][A-Za-z0-9+.-]*:)"), col(PATH).cast("string"))
                        .otherwise(concat(lit(base + "/"), col(PATH).cast("string"))).as(PATH));
        long count = rows.count();
        int partitions = count == 0 ? 1 : partitionsFor.applyAsInt(count);
        return new ImageListing(rows.repartition(partitions), count, partitions);
    }

    /** A path without glob characters must exist (Spark would say so with a stack trace in its log). */
    private static void requireExists(SparkSession spark, String images) {
        if (images.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
            return;
        }
        Path path = new Path(images);
        try {
            if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
                throw new InputException(images + ": not found");
            }
        } catch (IOException e) {
            throw new InputException(images + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String qualifiedParent(SparkSession spark, String listing) throws IOException {
        Path parent = new Path(listing).getParent();
        FileSystem fs = parent.getFileSystem(spark.sparkContext().hadoopConfiguration());
        return fs.makeQualified(parent).toString();
    }

    /** Spark's analysis errors (a glob that matches nothing, a listing that does not parse) as one line. */
    private static RuntimeException listingError(String images, Exception e) {
        if (e instanceof RuntimeException runtime && !e.getClass().getName().endsWith("AnalysisException")) {
            return runtime;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("PATH_NOT_FOUND") || message.contains("does not exist")) {
            return new InputException(images + ": not found");
        }
        return new InputException(images + ": cannot list the images: " + message.lines().findFirst().orElse(""), e);
    }
}
