package dev.imet.bench;

import dev.imet.data.Batch;
import dev.imet.data.BatchLoader;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageDecoder;
import dev.imet.data.ImageItem;
import dev.imet.data.ImageTransform;
import dev.imet.data.RgbImage;
import dev.imet.data.Transforms;
import dev.imet.model.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * How fast the input pipeline is: images per second of decode + training augmentation through the
 * {@link BatchLoader}, for several worker counts, and from the decoded-image cache. Compare with the training
 * step's images per second to see whether loading stays hidden behind compute.
 *
 * <p>Usage: {@code LoaderBench IMAGE_DIR [SIZE=320] [BATCH=32] [WORKERS=1,2,4] [MAX_IMAGES=1000]}
 */
public final class LoaderBench {

    private LoaderBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: LoaderBench IMAGE_DIR [SIZE=320] [BATCH=32] [WORKERS=1,2,4] [MAX_IMAGES=1000]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 320;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int[] workerCounts = Arrays.stream((args.length > 3 ? args[3] : "1,2,4").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int maxImages = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        List<ImageItem> items = images(dir, maxImages);
        if (items.isEmpty()) {
            System.err.println("no .png or .jpg images in " + dir);
            System.exit(1);
        }
        ImageTransform train = Transforms.train(ModelRegistry.IMAGENET_INPUT.withSize(size));
        System.out.printf(Locale.ROOT, "%d images from %s, size %d, batch %d, %d processors%n",
                items.size(), dir, size, batch, Runtime.getRuntime().availableProcessors());

        singleThreadBreakdown(items, train);
        for (int workers : workerCounts) {
            double rate = pass(items, batch, train, workers, null, 0);
            System.out.printf(Locale.ROOT, "workers %2d, decode + augment: %8.1f images/s%n", workers, rate);
        }
        DecodedImageCache cache = DecodedImageCache.withDefaultBudget();
        pass(items, batch, train, workerCounts[workerCounts.length - 1], cache, 0);
        for (int workers : workerCounts) {
            double rate = pass(items, batch, train, workers, cache, 1);
            System.out.printf(Locale.ROOT, "workers %2d, cached + augment: %8.1f images/s (%d of %d images cached)%n",
                    workers, rate, cache.imageCount(), items.size());
        }
    }

    /** Milliseconds per image of decoding and of the transform alone, on one thread after a warm-up. */
    private static void singleThreadBreakdown(List<ImageItem> items, ImageTransform train) {
        int count = Math.min(items.size(), 200);
        RgbImage[] decoded = new RgbImage[count];
        for (int i = 0; i < Math.min(count, 20); i++) {
            train.apply(ImageDecoder.decode(items.get(i).path()), new Random(i));
        }
        long start = System.nanoTime();
        long pixels = 0;
        for (int i = 0; i < count; i++) {
            decoded[i] = ImageDecoder.decode(items.get(i).path());
            pixels += (long) decoded[i].width() * decoded[i].height();
        }
        double decodeMs = (System.nanoTime() - start) / 1e6 / count;
        start = System.nanoTime();
        Random rng = new Random(1);
        for (int i = 0; i < count; i++) {
            train.apply(decoded[i], rng);
        }
        double transformMs = (System.nanoTime() - start) / 1e6 / count;
        System.out.printf(Locale.ROOT, "one thread: decode %.2f ms/image (%.0f kpixel average), augment %.2f ms/image%n",
                decodeMs, pixels / 1e3 / count, transformMs);
    }

    /** Images per second of one full pass. */
    private static double pass(List<ImageItem> items, int batch, ImageTransform transform, int workers,
                               DecodedImageCache cache, int epoch) {
        long start = System.nanoTime();
        int images = 0;
        var options = new BatchLoader.Options(batch, true, false, 1, epoch, workers, 4, cache, false);
        try (BatchLoader loader = new BatchLoader(items, 0, transform, options)) {
            for (Batch b : loader) {
                images += b.count();
                loader.recycle(b);
            }
        }
        return images / ((System.nanoTime() - start) / 1e9);
    }

    private static List<ImageItem> images(Path dir, int maxImages) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
                    })
                    .sorted()
                    .limit(maxImages)
                    .map(f -> new ImageItem(f.getFileName().toString(), f, new int[0]))
                    .toList();
        }
    }
}
