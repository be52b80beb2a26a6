package dev.imet.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.when;

import dev.imet.common.InputException;
import dev.imet.data.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code --images} names, as rows {@code (id, path)}: a folder or glob of images, listed by Spark's
 * {@code binaryFile} source (any depth, the image extensions of the data folder; the id is the file name without
 * its extension, as in a data folder's {@code test/}), or a CSV (with a header) or Parquet listing with the
 * columns {@code id} and {@code path}, whose relative paths are taken from the listing's folder. Only the
 * listing is read here; the executors read the images.
 */
final class ImageListing {
    static final String ID = "id";
    static final String PATH = "path";
    /** Image names binaryFile keeps: the data folder's extensions, in either case. */
    static final String IMAGE_GLOB = ImageFiles.EXTENSIONS.stream()
            .flatMap(e -> java.util.stream.Stream.of(e, e.toUpperCase(Locale.ROOT)))
            .collect(Collectors.joining(",", "*.{", "}"));

    private ImageListing() {}

    static Dataset<Row> read(SparkSession spark, String images) {
        requireExists(spark, images);
        String lower = images.toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".csv")) {
                return listing(spark, spark.read().option("header", "true").csv(images), images);
            }
            if (lower.endsWith(".parquet")) {
                return listing(spark, spark.read().parquet(images), images);
            }
            // The files binaryFile lists (its scan would skip empty ones, which must become error rows); their
            // contents are not read here.
            String[] files = spark.read().format("binaryFile")
                    .option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", IMAGE_GLOB)
                    .load(images)
                    .inputFiles();
            return spark.createDataset(Arrays.asList(files), Encoders.STRING()).toDF(PATH)
                    .select(regexp_extract(col(PATH), "([^/]+)\\.[^./]+$", 1).as(ID), col(PATH));
        } catch (Exception e) {
            throw notFound(images, e);
        }
    }

    private static Dataset<Row> listing(SparkSession spark, Dataset<Row> table, String listing) {
        List<String> columns = Arrays.asList(table.columns());
        if (!columns.contains(ID) || !columns.contains(PATH)) {
            throw new InputException(listing + ": a listing needs the columns id and path, found "
                    + String.join(", ", columns));
        }
        String base = qualifiedParent(spark, listing);
        // absolute paths and URIs (scheme:...) as they are; the others from the listing's folder
        return table.select(col(ID).cast("string").as(ID),
                when(col(PATH).rlike("^(/|[A-Za-z][A-Za-z0-9+.-]*:)"), col(PATH).cast("string"))
                        .otherwise(concat(lit(base + "/"), col(PATH).cast("string"))).as(PATH));
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

    private static String qualifiedParent(SparkSession spark, String listing) {
        Path parent = new Path(listing).getParent();
        try {
            FileSystem fs = parent.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.makeQualified(parent).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spark's "path does not exist" as one line naming the path; anything else as it is. */
    private static RuntimeException notFound(String images, Exception e) {
        if (e instanceof RuntimeException runtime && !(e.getClass().getName().endsWith("AnalysisException"))) {
            return runtime;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("PATH_NOT_FOUND") || message.contains("does not exist")) {
            return new InputException(images + ": not found");
        }
        return new InputException(images + ": cannot list the images: " + message.lines().findFirst().orElse(""), e);
    }
}
