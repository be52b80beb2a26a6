package dev.imet.data;

import dev.imet.common.AtomicFiles;
import dev.imet.common.Png;
import dev.imet.common.Seeds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Writes a small, learnable data set in the layout of SPEC §1 (labels.csv, train.csv, sample_submission.csv,
 * train/*.png, test/*.png) plus solution.csv with the true test labels. The same options give the same bytes.
 */
public final class SampleData {
    /** How many images, their size in pixels, and the seed everything is derived from. */
    public record Options(int trainCount, int testCount, int imageSize, long seed) {
        public Options {
            if (trainCount < 1 || testCount < 0 || imageSize < 8 || imageSize > 4096) {
                throw new IllegalArgumentException("need train >= 1, test >= 0 and 8 <= size <= 4096");
            }
        }
    }

    /** One generated image: its id and its scene. */
    record Item(String id, SampleScene scene) {}

    public static final String SOLUTION_CSV = "solution.csv";
    private static final int TRAIN_STREAM = 0;
    private static final int TEST_STREAM = 1;

    private SampleData() {}

    /** The label names of the generated set, in id order. */
    public static List<String> labelNames() {
        return SampleScene.LABEL_NAMES;
    }

    /**
     * Writes the data set into {@code out}. Images come first and the CSVs last, so an interrupted run leaves
     * the previous CSVs pointing at complete images; images of an earlier run that the new CSVs no longer list
     * are removed at the end.
     */
    public static void write(Path out, Options options) {
        List<Item> train = items(options, TRAIN_STREAM, options.trainCount());
        List<Item> test = items(options, TEST_STREAM, options.testCount());
        writeImages(out.resolve(DataChecker.TRAIN_DIR), train, options.imageSize());
        writeImages(out.resolve(DataChecker.TEST_DIR), test, options.imageSize());

        List<String> names = labelNames();
        CsvTable.write(out.resolve(LabelSet.FILE_NAME), List.of("attribute_id", "attribute_name"), names.size(),
                id -> List.of(id, names.get(id)));
        AttributeIdsFile.write(out.resolve(DataChecker.TRAIN_CSV), ids(train), labels(train));
        // Like the competition's file: the test ids with a placeholder answer.
        AttributeIdsFile.write(out.resolve(DataChecker.TEST_CSV), ids(test),
                test.stream().map(item -> new int[] {0, 1, 2}).toList());
        AttributeIdsFile.write(out.resolve(SOLUTION_CSV), ids(test), labels(test));

        removeStaleImages(out.resolve(DataChecker.TRAIN_DIR), train);
        removeStaleImages(out.resolve(DataChecker.TEST_DIR), test);
    }

    /** The items of one stream (train or test), sorted by id as in the competition's files. */
    static List<Item> items(Options options, int stream, int count) {
        return IntStream.range(0, count)
                .mapToObj(index -> {
                    // the finaliser is a bijection on longs, so distinct (seed, stream, index) give distinct ids
                    long key = Seeds.finish(Seeds.finish(options.seed()) + ((long) stream << 32) + index);
                    return new Item(String.format(Locale.ROOT, "%016x", key), SampleScene.random(new Random(key)));
                })
                .sorted(Comparator.comparing(Item::id))
                .toList();
    }

    private static List<String> ids(List<Item> items) {
        return items.stream().map(Item::id).toList();
    }

    private static List<int[]> labels(List<Item> items) {
        return items.stream().map(item -> item.scene().labels()).toList();
    }

    private static void writeImages(Path dir, List<Item> items, int size) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        items.parallelStream().forEach(item -> {
            BufferedImage image = item.scene().render(size);
            AtomicFiles.write(dir.resolve(item.id() + ".png"), stream -> Png.write(image, stream));
        });
    }

    /** Deletes images named like generated ones ({16 hex}.png) that the new set does not list; nothing else. */
    private static void removeStaleImages(Path dir, List<Item> items) {
        Set<String> keep = new HashSet<>();
        items.forEach(item -> keep.add(item.id() + ".png"));
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.png")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.matches("[0-9a-f]{16}\\.png") && !keep.contains(name)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }
}
