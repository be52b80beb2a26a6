package dev.imet.data;

import static dev.imet.data.TestImages.MEAN;
import static dev.imet.data.TestImages.STD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
    private static final int CLASSES = 5;
    private static final int SIZE = 8;

    @TempDir
    Path dir;

    private List<ImageItem> items;

    @BeforeEach
    void writeImages() {
        items = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String id = "img" + i;
            Path file = TestImages.writePng(TestImages.random(10 + i, 9, i), dir.resolve(id + ".png"));
            items.add(new ImageItem(id, file, i % 4 == 0 ? new int[0] : new int[] {i % CLASSES, (i + 2) % CLASSES}));
        }
    }

    @Test
    void deliversEveryImageOnceInOrderWithItsTargetsAndTransform() {
        ImageTransform eval = Transforms.ttaView(0, TestImages.input(SIZE));
        try (BatchLoader loader = loader(eval, false, false, 0, 3, null)) {
            assertThat(loader.batchCount()).isEqualTo(3);
            List<Batch> batches = collect(loader);
            assertThat(batches).extracting(Batch::count).containsExactly(4, 4, 3);
            List<String> ids = batches.stream().flatMap(b -> b.ids().stream()).toList();
            assertThat(ids).isEqualTo(items.stream().map(ImageItem::id).toList());
            int imageFloats = 3 * SIZE * SIZE;
            for (Batch batch : batches) {
                assertThat(batch.size()).isEqualTo(SIZE);
                assertThat(batch.images()).hasSize(batch.count() * imageFloats);
                assertThat(batch.targets()).hasSize(batch.count() * CLASSES);
                for (int row = 0; row < batch.count(); row++) {
                    ImageItem item = items.get(Integer.parseInt(batch.ids().get(row).substring(3)));
                    float[] expected = eval.apply(ImageDecoder.decode(item.path()), null);
                    float[] actual = new float[imageFloats];
                    System.arraycopy(batch.images(), row * imageFloats, actual, 0, imageFloats);
                    assertThat(actual).isEqualTo(expected);
                    float[] target = new float[CLASSES];
                    for (int label : item.labels()) {
                        target[label] = 1;
                    }
                    float[] actualTarget = new float[CLASSES];
                    System.arraycopy(batch.targets(), row * CLASSES, actualTarget, 0, CLASSES);
                    assertThat(actualTarget).isEqualTo(target);
                }
            }
        }
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatchesWhateverTheWorkers() {
        ImageTransform train = Transforms.train(TestImages.input(SIZE));
        List<Batch> oneWorker;
        List<Batch> threeWorkers;
        List<Batch> nextEpoch;
        try (BatchLoader loader = loader(train, true, false, 0, 1, null)) {
            oneWorker = collect(loader);
        }
        try (BatchLoader loader = loader(train, true, false, 0, 3, null)) {
            threeWorkers = collect(loader);
        }
        try (BatchLoader loader = loader(train, true, false, 1, 3, null)) {
            nextEpoch = collect(loader);
        }
        assertThat(threeWorkers).hasSameSizeAs(oneWorker);
        for (int b = 0; b < oneWorker.size(); b++) {
            assertThat(threeWorkers.get(b).ids()).isEqualTo(oneWorker.get(b).ids());
            assertThat(threeWorkers.get(b).images()).isEqualTo(oneWorker.get(b).images());
            assertThat(threeWorkers.get(b).targets()).isEqualTo(oneWorker.get(b).targets());
        }
        assertThat(ids(nextEpoch)).isNotEqualTo(ids(oneWorker)).containsExactlyInAnyOrderElementsOf(ids(oneWorker));
        assertThat(ids(oneWorker)).isNotEqualTo(items.stream().map(ImageItem::id).toList());
    }

    @Test
    void aPassStartedMidwayGivesTheRemainingBatchesOfTheFullPass() {
        ImageTransform train = Transforms.train(TestImages.input(SIZE));
        List<Batch> full;
        List<Batch> rest = new ArrayList<>();
        try (BatchLoader loader = loader(train, true, false, 2, 2, null)) {
            full = collect(loader);
        }
        try (BatchLoader loader = loader(train, true, false, 2, 2, null)) {
            loader.iterator(1).forEachRemaining(rest::add);
        }
        assertThat(rest).hasSize(full.size() - 1);
        for (int b = 0; b < rest.size(); b++) {
            assertThat(rest.get(b).ids()).isEqualTo(full.get(b + 1).ids());
            assertThat(rest.get(b).images()).isEqualTo(full.get(b + 1).images());
        }
    }

    @Test
    void dropLastLeavesOutTheShortBatch() {
        try (BatchLoader loader = new BatchLoader(items, CLASSES, Transforms.ttaView(0, TestImages.input(SIZE)),
                new BatchLoader.Options(4, true, true, 3, 0, 2, 2, null, hasLabels(items)))) {
            assertThat(loader.batchCount()).isEqualTo(2);
            List<Batch> batches = collect(loader);
            assertThat(batches).extracting(Batch::count).containsExactly(4, 4);
            assertThat(new HashSet<>(ids(batches))).hasSize(8);
        }
    }

    @Test
    void imagesWithoutLabelsGiveNoTargets() {
        List<ImageItem> test = items.stream().map(i -> new ImageItem(i.id(), i.path(), new int[0])).toList();
        try (BatchLoader loader = new BatchLoader(test, CLASSES, Transforms.ttaView(0, TestImages.input(SIZE)),
                new BatchLoader.Options(4, false, false, 0, 0, 2, 2, null, hasLabels(test)))) {
            assertThat(loader.withTargets()).isFalse();
            assertThat(collect(loader)).allSatisfy(batch -> assertThat(batch.targets()).isNull());
        }
    }

    @Test
    void aBrokenImageStopsThePassWithAnErrorNamingIt() throws IOException {
        Path broken = Files.writeString(dir.resolve("img6.png"), "not a png");
        Set<Thread> before = loaderThreads();
        try (BatchLoader loader = loader(Transforms.ttaView(0, TestImages.input(SIZE)), false, false, 0, 2, null)) {
            assertThatThrownBy(() -> collect(loader))
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining(broken.toString());
        }
        assertThat(loaderThreads()).isSubsetOf(before);
    }

    @Test
    void closingStopsTheWorkers() {
        List<ImageItem> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add(items.get(i % items.size()));
        }
        Set<Thread> before = loaderThreads();
        try (BatchLoader loader = new BatchLoader(many, CLASSES, Transforms.train(TestImages.input(SIZE)),
                new BatchLoader.Options(4, true, false, 0, 0, 3, 1, null, hasLabels(many)))) {
            assertThat(loader.iterator().next().count()).isEqualTo(4);
        }
        assertThat(loaderThreads()).isSubsetOf(before);
    }

    @Test
    void cachedPassesDecodeEachFileOnceAndGiveTheSameBatches() {
        DecodedImageCache cache = new DecodedImageCache(1 << 20);
        ImageTransform train = Transforms.train(TestImages.input(SIZE));
        List<Batch> uncached;
        try (BatchLoader loader = loader(train, true, false, 1, 2, null)) {
            uncached = collect(loader);
        }
        try (BatchLoader loader = loader(train, true, false, 0, 2, cache)) {
            collect(loader);
        }
        List<Batch> cached;
        try (BatchLoader loader = loader(train, true, false, 1, 2, cache)) {
            cached = collect(loader);
        }
        assertThat(cache.decodes()).isEqualTo(items.size());
        assertThat(cache.hits()).isEqualTo(items.size());
        for (int b = 0; b < uncached.size(); b++) {
            assertThat(cached.get(b).images()).isEqualTo(uncached.get(b).images());
        }
    }

    @Test
    void recycledArraysAreReusedWithoutChangingTheResults() {
        ImageTransform train = Transforms.train(TestImages.input(SIZE));
        List<float[]> fresh = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(items, CLASSES, train,
                new BatchLoader.Options(2, true, false, 9, 0, 2, 1, null, hasLabels(items)))) {
            loader.forEach(batch -> fresh.add(batch.images()));
        }
        List<float[]> copies = new ArrayList<>();
        Set<Integer> arrays = new HashSet<>();
        try (BatchLoader loader = new BatchLoader(items, CLASSES, train,
                new BatchLoader.Options(2, true, false, 9, 0, 2, 1, null, hasLabels(items)))) {
            for (Batch batch : loader) {
                copies.add(batch.images().clone());
                arrays.add(System.identityHashCode(batch.images()));
                loader.recycle(batch);
            }
        }
        assertThat(copies).hasSize(6).usingRecursiveComparison().isEqualTo(fresh);
        assertThat(arrays).hasSizeLessThan(5); // five full batches share the arrays of the batches in flight
    }

    private BatchLoader loader(ImageTransform transform, boolean shuffle, boolean dropLast, int epoch, int workers,
                               DecodedImageCache cache) {
        return new BatchLoader(items, CLASSES, transform,
                new BatchLoader.Options(4, shuffle, dropLast, 42, epoch, workers, 2, cache, hasLabels(items)));
    }

    private static boolean hasLabels(List<ImageItem> images) {
        return images.stream().anyMatch(item -> item.labels().length > 0);
    }

    private static List<Batch> collect(BatchLoader loader) {
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        return batches;
    }

    private static List<String> ids(List<Batch> batches) {
        return batches.stream().flatMap(b -> b.ids().stream()).toList();
    }

    /** Pooled loader threads that are working on a pass (idle pooled threads do not count). */
    private static Set<Thread> loaderThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().isAlive() && e.getKey().getName().startsWith("batch-loader-"))
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("BatchLoader$Pass")))
                .map(java.util.Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
