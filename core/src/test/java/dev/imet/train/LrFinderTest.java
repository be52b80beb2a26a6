package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imet.cli.CommandRunner;
import dev.imet.common.UsageException;
import dev.imet.data.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrFinderTest {
    @TempDir
    Path dir;

    @Test
    void theRateGrowsExponentiallyFromStartToEnd() {
        var sweep = new LrFinder.Sweep(101, 1e-6, 1, Path.of("x.png"));
        assertThat(sweep.lr(0)).isCloseTo(1e-6, within(1e-15));
        assertThat(sweep.lr(50)).isCloseTo(1e-3, within(1e-12));
        assertThat(sweep.lr(100)).isCloseTo(1, within(1e-12));
        assertThatThrownBy(() -> new LrFinder.Sweep(100, 1, 0.1, Path.of("x.png"))).isInstanceOf(UsageException.class);
    }

    /** A curve flat, then falling fastest at 1e-3 (in log rate), lowest at 1e-2, then rising. */
    private static List<LrFinder.Point> curve() {
        List<LrFinder.Point> points = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            double log10 = -6 + i * 0.1;
            double loss = 1 - 0.5 * (1 + Math.tanh(2 * (log10 + 3))) + (log10 > -2 ? 3 * (log10 + 2) * (log10 + 2) : 0);
            points.add(new LrFinder.Point(Math.pow(10, log10), loss, loss));
        }
        return points;
    }

    @Test
    void theSuggestionIsTheValleyAndTheSteepestDescentAndMinimumAreFound() {
        LrFinder.Suggestion s = LrFinder.suggest(curve());
        assertThat(Math.log10(s.steepestLr())).isCloseTo(-3, within(0.051));
        assertThat(Math.log10(s.minimumLr())).isCloseTo(-2, within(0.2));
        assertThat(s.suggestedLr()).isEqualTo(s.valleyLr());
    }

    @Test
    void theValleyIsAHalfOfTheWayAlongTheLongestFall() {
        // flat (noisy) to index 9, falling from 10 to 40, rising after: the longest fall is 33 points from 7 to 40
        // (1.01 at 1, 1.0 at 2, then 31 falling), and fastai's rule gives 7 + 11 + 5
        List<LrFinder.Point> points = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double loss = i < 10 ? 1 + 0.01 * (i % 2) : i <= 40 ? 1 - (i - 9) * 0.01 : 0.69 + (i - 40) * 0.02;
            points.add(new LrFinder.Point(Math.pow(10, -6 + i * 0.1), loss, loss));
        }
        assertThat(LrFinder.valley(points, points.size())).isEqualTo(23);
    }

    @Test
    void theLastPointsDoNotCountAndALossThatNeverFallsHasNoSteepestDescent() {
        List<LrFinder.Point> rising = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // lowest at the very end, inside the points fastai skips
            double loss = i < 15 ? 1 + i : 0;
            rising.add(new LrFinder.Point(Math.pow(10, -5 + i * 0.2), loss, loss));
        }
        LrFinder.Suggestion s = LrFinder.suggest(rising);
        assertThat(s.minimumLr()).isEqualTo(1e-5);
        assertThat(s.steepestLr()).isNull();
    }

    @Test
    void theCommandSweepsOnTheTrainingFoldsWritesOnlyThePlotAndSuggestsARate() throws Exception {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 48, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "4").exitCode()).isZero();
        List<Path> before;
        try (Stream<Path> files = Files.walk(dir)) {
            before = files.toList();
        }
        Path plot = dir.resolve("lr_find.png");
        var result = CommandRunner.run("lr-find", "--data", data.toString(), "--arch", "tiny_resnet", "--size", "32",
                "--batch-size", "8", "--steps", "20", "--start-lr", "1e-5", "--end-lr", "1", "--workers", "1",
                "--loss", "asl", "--out", plot.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        // 36 training images of batch 8: 4 steps per epoch, so the 20 steps run over 5 epochs
        assertThat(result.out()).contains("20 steps on 36 images, head rate 1.0e-5 to 1.0", "suggested --lr ");
        BufferedImage image = ImageIO.read(plot.toFile());
        assertThat(image.getWidth()).isEqualTo(LrFinder.WIDTH);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(f -> !before.contains(f)).toList()).containsExactly(plot);
        }
        assertThat(Path.of("runs", "tiny_resnet-fold0")).doesNotExist();
    }
}
