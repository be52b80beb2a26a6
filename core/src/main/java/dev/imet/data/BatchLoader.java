package dev.imet.data;

import dev.imet.common.InputException;
import dev.imet.common.Permutations;
import dev.imet.common.Seeds;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pass (epoch) over a list of images in batches. Worker threads decode and transform images ahead of the
 * consumer, at most {@code prefetchBatches} batches ahead, while the consumer computes; batches come out in
 * order. Everything is determined by {@code (seed, epoch)}: the shuffled order, and each image's random
 * augmentation, which is seeded from (seed, epoch, image id), so it does not depend on thread timing, on the
 * number of workers, or on where the image stands in the list. An image that fails to load stops the pass: the
 * consumer's next call throws (an {@link InputException} naming the image when the file is at fault).
 *
 * <p>Each call to {@link #iterator()} starts the pass afresh. Closing the loader stops its workers at once;
 * an iterator that is abandoned stops its workers when it is garbage-collected.
 */
public final class BatchLoader implements Iterable<Batch>, AutoCloseable {
    private static final Cleaner ABANDONED_PASSES = Cleaner.create();
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    /**
     * Workers are pooled across passes rather than started per pass: a native allocator keeps per-thread state
     * (jemalloc's arenas hold their pages), so fresh threads every epoch would ratchet resident memory up.
     */
    private static final ExecutorService WORKER_THREADS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task, "batch-loader-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /**
     * How a loader makes its passes.
     *
     * @param batchSize images per batch, at least 1
     * @param shuffle a random order from (seed, epoch), or else the order of the items
     * @param dropLast leave out the last batch when it would be smaller than {@code batchSize}
     * @param seed with {@code epoch}, what every random choice of a pass derives from
     * @param epoch the pass's number (a TTA view's number in inference)
     * @param workers threads decoding and transforming, at least 1 (see {@link #defaultWorkers()})
     * @param prefetchBatches batches prepared ahead of the consumer, at least 1
     * @param cache decoded images kept across passes, or null to decode every time
     * @param withTargets whether batches carry multi-hot targets (null otherwise)
     * @param maxPixels images declaring more pixels are refused before they are decoded
     */
    public record Options(int batchSize, boolean shuffle, boolean dropLast, long seed, int epoch, int workers,
            int prefetchBatches, DecodedImageCache cache, boolean withTargets, long maxPixels) {
        /** Options with the default pixel limit. */
        public Options(int batchSize, boolean shuffle, boolean dropLast, long seed, int epoch, int workers,
                int prefetchBatches, DecodedImageCache cache, boolean withTargets) {
            this(batchSize, shuffle, dropLast, seed, epoch, workers, prefetchBatches, cache, withTargets,
                    ImageFiles.DEFAULT_MAX_PIXELS);
        }

        public Options {
            ImageFiles.requirePixelLimit(maxPixels);
            if (batchSize < 1 || workers < 1 || prefetchBatches < 1) {
                throw new IllegalArgumentException("batchSize, workers and prefetchBatches must be at least 1: "
                        + batchSize + ", " + workers + ", " + prefetchBatches);
            }
        }

        /** A training epoch: shuffled, full batches only, with targets, three batches ahead. */
        public static Options training(int batchSize, long seed, int epoch) {
            return new Options(batchSize, true, true, seed, epoch, defaultWorkers(), 3, null, true);
        }

        /** An inference pass over the items in their order, the last batch kept, two batches ahead. */
        public static Options inference(int batchSize, long seed, int view, boolean withTargets) {
            return new Options(batchSize, false, false, seed, view, defaultWorkers(), 2, null, withTargets);
        }

        public Options withWorkers(int n) {
            return new Options(batchSize, shuffle, dropLast, seed, epoch, n, prefetchBatches, cache, withTargets,
                    maxPixels);
        }

        public Options withCache(DecodedImageCache c) {
            return new Options(batchSize, shuffle, dropLast, seed, epoch, workers, prefetchBatches, c, withTargets,
                    maxPixels);
        }

        public Options withMaxPixels(long limit) {
            return new Options(batchSize, shuffle, dropLast, seed, epoch, workers, prefetchBatches, cache, withTargets,
                    limit);
        }
    }

    private final List<ImageItem> items;
    private final int numClasses;
    private final int batchSize;
    private final ImageTransform transform;
    private final boolean dropLast;
    private final long seed;
    private final int epoch;
    private final int workers;
    private final int prefetchBatches;
    private final DecodedImageCache cache;
    private final boolean withTargets;
    private final long maxPixels;
    private final int[] order;
    private final ConcurrentLinkedQueue<float[]> spareImageArrays = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<float[]> spareTargetArrays = new ConcurrentLinkedQueue<>();
    private Pass currentPass;
    private boolean closed;

    /** @param numClasses C, the width of a target row */
    public BatchLoader(List<ImageItem> items, int numClasses, ImageTransform transform, Options options) {
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be at least 0: " + numClasses);
        }
        for (ImageItem item : items) {
            for (int label : item.labels()) {
                if (label < 0 || label >= numClasses) {
                    throw new IllegalArgumentException(
                            "image " + item.id() + " has label " + label + ", outside 0.." + (numClasses - 1));
                }
            }
        }
        this.items = List.copyOf(items);
        this.numClasses = numClasses;
        this.batchSize = options.batchSize();
        this.transform = transform;
        this.dropLast = options.dropLast();
        this.seed = options.seed();
        this.epoch = options.epoch();
        this.workers = options.workers();
        this.prefetchBatches = options.prefetchBatches();
        this.cache = options.cache();
        this.withTargets = options.withTargets();
        this.maxPixels = options.maxPixels();
        this.order = options.shuffle() ? shuffledOrder(items.size(), seed, epoch) : identityOrder(items.size());
    }

    /** One worker per available processor: idle workers only wait, and a fast accelerator needs them all. */
    static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** The order in which a shuffled pass of {@code count} items visits them: a permutation from (seed, epoch). */
    static int[] shuffledOrder(int count, long seed, int epoch) {
        return Permutations.random(count, new SplittableRandom(Seeds.mix(seed, epoch)));
    }

    private static int[] identityOrder(int count) {
        int[] order = new int[count];
        Arrays.setAll(order, i -> i);
        return order;
    }

    /**
     * The random source of one image's transform in a pass: from (seed, epoch, id) alone, so that whoever renders
     * an image the same way (the Spark job's predictor) gets the same view.
     */
    public static Random imageRandom(long seed, int epoch, String id) {
        return new Random(Seeds.mix(Seeds.mix(seed, epoch), Seeds.hash(id)));
    }

    public int batchCount() {
        return dropLast ? items.size() / batchSize : (items.size() + batchSize - 1) / batchSize;
    }

    public boolean withTargets() {
        return withTargets;
    }

    /**
     * Hands the arrays of a batch the consumer no longer uses back for later batches of this loader, which saves
     * allocating and collecting them. Optional; the batch must not be read afterwards.
     */
    public void recycle(Batch batch) {
        if (spareImageArrays.size() < prefetchBatches + 1) {
            spareImageArrays.add(batch.images());
        }
        if (batch.targets() != null && spareTargetArrays.size() < prefetchBatches + 1) {
            spareTargetArrays.add(batch.targets());
        }
    }

    /** Starts a pass (stopping any earlier one of this loader). */
    @Override
    public Iterator<Batch> iterator() {
        return iterator(0);
    }

    /**
     * Starts a pass at batch {@code firstBatch}, as if the earlier batches had been taken, without loading them:
     * a resumed run continues mid-epoch with the batches the uninterrupted run would have seen.
     */
    public synchronized Iterator<Batch> iterator(int firstBatch) {
        if (firstBatch < 0 || firstBatch > batchCount()) {
            throw new IllegalArgumentException("first batch " + firstBatch + " outside 0.." + batchCount());
        }
        if (closed) {
            throw new IllegalStateException("batch loader is closed");
        }
        if (currentPass != null) {
            currentPass.stop();
        }
        Pass pass = new Pass(firstBatch);
        currentPass = pass;
        pass.start();
        BatchIterator iterator = new BatchIterator(pass, firstBatch);
        ABANDONED_PASSES.register(iterator, pass::stop);
        return iterator;
    }

    /** Stops the workers and waits briefly for them to finish the image in hand. */
    @Override
    public synchronized void close() {
        closed = true;
        if (currentPass != null) {
            currentPass.stop();
            currentPass.join(CLOSE_WAIT_MILLIS);
            currentPass = null;
        }
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final Pass pass;
        private int nextBatch;

        BatchIterator(Pass pass, int firstBatch) {
            this.pass = pass;
            this.nextBatch = firstBatch;
        }

        @Override
        public boolean hasNext() {
            return nextBatch < batchCount();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pass.take(nextBatch++);
        }
    }

    /** A batch being filled: {@code remaining} images still to come. Guarded by its pass's lock. */
    private static final class PendingBatch {
        final int index;
        final String[] ids;
        final float[] images;
        final float[] targets;
        int remaining;

        PendingBatch(int index, int count, float[] images, float[] targets) {
            this.index = index;
            this.ids = new String[count];
            this.images = images;
            this.targets = targets;
            this.remaining = count;
        }
    }

    /**
     * The workers of one pass. They take images in pass order from a shared counter; an image of batch k waits
     * until the consumer has moved past batch {@code k - prefetchBatches - 1}, so at most the batch in the
     * consumer's hands plus {@code prefetchBatches} are in memory. Never refers to its iterator, so that an
     * abandoned iterator can be collected.
     */
    private final class Pass {
        private final Object lock = new Object();
        private final PendingBatch[] ring = new PendingBatch[prefetchBatches + 1];
        private final AtomicInteger nextImage;
        private final int imageTotal = dropLast ? batchCount() * batchSize : items.size();
        private final Future<?>[] workerTasks;
        private int released; // batches the consumer has moved past
        private boolean stopped;
        private ImageItem failedItem;
        private Throwable failure;

        Pass(int firstBatch) {
            nextImage = new AtomicInteger(firstBatch * batchSize);
            released = firstBatch;
            workerTasks = new Future<?>[Math.max(0, Math.min(workers, imageTotal - firstBatch * batchSize))];
        }

        void start() {
            for (int i = 0; i < workerTasks.length; i++) {
                workerTasks[i] = WORKER_THREADS.submit(this::work);
            }
        }

        void stop() {
            synchronized (lock) {
                stopped = true;
                lock.notifyAll();
            }
        }

        void join(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            try {
                for (Future<?> task : workerTasks) {
                    task.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // a worker's failure is reported to the consumer by take(); a slow image is left to finish alone
            }
        }

        Batch take(int index) {
            PendingBatch batch;
            synchronized (lock) {
                released = index;
                lock.notifyAll();
                while (true) {
                    if (failure != null) {
                        throw loadError(failedItem, failure);
                    }
                    if (stopped) {
                        throw new IllegalStateException("batch loader was closed");
                    }
                    batch = ring[index % ring.length];
                    if (batch != null && batch.index == index && batch.remaining == 0) {
                        break;
                    }
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for batch " + index, e);
                    }
                }
            }
            return new Batch(List.of(batch.ids), batch.images, batch.targets, transform.outputSize());
        }

        private void work() {
            int imageFloats = 3 * transform.outputSize() * transform.outputSize();
            while (true) {
                int position = nextImage.getAndIncrement();
                if (position >= imageTotal) {
                    return;
                }
                int batchIndex = position / batchSize;
                PendingBatch batch = claimBatch(batchIndex);
                if (batch == null) {
                    return;
                }
                int slot = position % batchSize;
                ImageItem item = items.get(order[position]);
                try {
                    RgbImage image = cache != null ? cache.get(item.path(), maxPixels)
                            : ImageDecoder.decode(item.path(), maxPixels);
                    transform.applyInto(image, imageRandom(seed, epoch, item.id()), batch.images, slot * imageFloats);
                } catch (RuntimeException | Error e) {
                    fail(item, e);
                    return;
                }
                if (batch.targets != null) {
                    for (int label : item.labels()) {
                        batch.targets[slot * numClasses + label] = 1f;
                    }
                }
                synchronized (lock) {
                    batch.ids[slot] = item.id();
                    if (--batch.remaining == 0) {
                        lock.notifyAll();
                    }
                }
            }
        }

        /** Waits until batch {@code index} may be filled and returns it (made by the first image to arrive). */
        private PendingBatch claimBatch(int index) {
            synchronized (lock) {
                while (!stopped && failure == null && index >= released + ring.length) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return null;
                    }
                }
                if (stopped || failure != null) {
                    return null;
                }
                PendingBatch batch = ring[index % ring.length];
                if (batch == null || batch.index != index) {
                    int count = Math.min(batchSize, imageTotal - index * batchSize);
                    int imageFloats = 3 * transform.outputSize() * transform.outputSize();
                    batch = new PendingBatch(index, count, spare(spareImageArrays, count * imageFloats),
                            withTargets ? zeroed(spare(spareTargetArrays, count * numClasses)) : null);
                    ring[index % ring.length] = batch;
                }
                return batch;
            }
        }

        private void fail(ImageItem item, Throwable cause) {
            synchronized (lock) {
                if (stopped || failure != null) {
                    return;
                }
                failedItem = item;
                failure = cause;
                lock.notifyAll();
            }
        }
    }

    /**
     * The consumer's exception for a worker's failure, made on the consumer's thread so that its stack trace
     * shows where the consumer was: bad files stay {@link InputException}s (whose message names the file).
     */
    private static RuntimeException loadError(ImageItem item, Throwable cause) {
        return cause instanceof InputException
                ? new InputException(cause.getMessage(), cause)
                : new IllegalStateException("cannot load image " + item.id() + " (" + item.path() + "): " + cause, cause);
    }

    private static float[] spare(ConcurrentLinkedQueue<float[]> spares, int length) {
        float[] array = spares.poll();
        return array != null && array.length == length ? array : new float[length];
    }

    private static float[] zeroed(float[] array) {
        Arrays.fill(array, 0f);
        return array;
    }
}
