package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodedImageCacheTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRequestIsAnsweredWithoutDecoding() {
        Path file = TestImages.writePng(TestImages.random(6, 4, 1), dir.resolve("a.png"));
        DecodedImageCache cache = new DecodedImageCache(1000);
        RgbImage first = cache.get(file);
        RgbImage second = cache.get(file);
        assertThat(second).isSameAs(first);
        assertThat(first.rgb()).isEqualTo(ImageDecoder.decode(file).rgb());
        assertThat(cache.decodes()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.storedBytes()).isEqualTo(6 * 4 * 3);
    }

    @Test
    void imagesBeyondTheBudgetAreDecodedEveryTime() {
        List<Path> files = IntStream.range(0, 3)
                .mapToObj(i -> TestImages.writePng(TestImages.random(10, 10, i), dir.resolve(i + ".png")))
                .toList();
        DecodedImageCache cache = new DecodedImageCache(2 * 300); // room for two 10x10 images
        for (int pass = 0; pass < 2; pass++) {
            files.forEach(cache::get);
        }
        assertThat(cache.imageCount()).isEqualTo(2);
        assertThat(cache.storedBytes()).isEqualTo(600);
        assertThat(cache.decodes()).isEqualTo(4);
        assertThat(cache.hits()).isEqualTo(2);
    }

    @Test
    void concurrentRequestsStayWithinTheBudget() {
        List<Path> files = IntStream.range(0, 20)
                .mapToObj(i -> TestImages.writePng(TestImages.random(10, 10, i), dir.resolve(i + ".png")))
                .toList();
        DecodedImageCache cache = new DecodedImageCache(7 * 300);
        IntStream.range(0, 200).parallel().forEach(i -> cache.get(files.get(i % files.size())));
        assertThat(cache.imageCount()).isEqualTo(7);
        assertThat(cache.storedBytes()).isEqualTo(7 * 300);
        assertThat(cache.hits() + cache.decodes()).isEqualTo(200);
    }

    @Test
    void failuresAreNotCached() {
        Path missing = dir.resolve("missing.png");
        DecodedImageCache cache = new DecodedImageCache(1000);
        assertThatThrownBy(() -> cache.get(missing)).isInstanceOf(InputException.class);
        assertThat(cache.imageCount()).isZero();
    }
}
