package dev.imet.data;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps decoded images in memory so that passes after the first do not decode their files again. Images are
 * kept as decoded (not downscaled: a random crop may take any part of a large image, so a smaller copy would
 * change the results). Within the byte budget every image decoded is kept; once the budget is used up, further
 * images are decoded each time and nothing is evicted. With the random order of training epochs that keeps
 * the same hit rate as any eviction policy would, without the churn. Thread-safe.
 */
public final class DecodedImageCache {
    /** The default budget's share of the maximum heap. */
    public static final double DEFAULT_HEAP_SHARE = 0.25;

    private final long budgetBytes;
    private final ConcurrentHashMap<Path, RgbImage> images = new ConcurrentHashMap<>();
    private final AtomicLong storedBytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder decodes = new LongAdder();

    /** A cache holding at most {@code budgetBytes} bytes of pixels. */
    public DecodedImageCache(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budget must not be negative: " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** A cache with {@link #DEFAULT_HEAP_SHARE} of the maximum heap as its budget. */
    public static DecodedImageCache withDefaultBudget() {
        return new DecodedImageCache((long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE));
    }

    /** The image of {@code path}: kept from an earlier call, or decoded now (and kept if it fits). */
    public RgbImage get(Path path) {
        return get(path, ImageFiles.DEFAULT_MAX_PIXELS);
    }

    /** As {@link #get(Path)}, decoding only images of at most {@code maxPixels} pixels. */
    public RgbImage get(Path path, long maxPixels) {
        RgbImage image = images.get(path);
        if (image != null) {
            hits.increment();
            return image;
        }
        image = ImageDecoder.decode(path, maxPixels);
        decodes.increment();
        keep(path, image);
        return image;
    }

    private void keep(Path path, RgbImage image) {
        long size = image.byteSize();
        long stored;
        do {
            stored = storedBytes.get();
            if (stored + size > budgetBytes) {
                return;
            }
        } while (!storedBytes.compareAndSet(stored, stored + size));
        if (images.putIfAbsent(path, image) != null) {
            storedBytes.addAndGet(-size);
        }
    }

    /** Calls answered from memory. */
    public long hits() {
        return hits.sum();
    }

    /** Calls that decoded the file. */
    public long decodes() {
        return decodes.sum();
    }

    /** Images held. */
    public int imageCount() {
        return images.size();
    }

    /** Bytes of pixels held. */
    public long storedBytes() {
        return storedBytes.get();
    }

    public long budgetBytes() {
        return budgetBytes;
    }
}
