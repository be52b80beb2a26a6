package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.UsageException;
import dev.imet.inference.LossKind;
import dev.imet.run.TrainConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainOptionsTest {
    private static TrainOptions minimal() {
        TrainOptions o = new TrainOptions();
        o.fold = 2;
        o.arch = "resnet18";
        return o;
    }

    @Test
    void defaultsComeFromTheConstantsAndTheArchitecture() {
        TrainConfig c = minimal().resolve();
        assertThat(c.network().input().size()).isEqualTo(320);
        assertThat(c.data().folds()).isEqualTo(Path.of("data/folds.csv"));
        assertThat(c.runDir()).isEqualTo(Path.of("runs/resnet18-fold2"));
        assertThat(c.optimizer().lrRatios()).containsExactly(1, 1, 1);
        assertThat(c.schedule().headEpochs()).isZero();
        assertThat(c.objective().loss()).isEqualTo(LossKind.ASL);
        assertThat(c.schedule().decay()).isEqualTo(TrainConfig.Decay.TRIANGULAR);
        assertThat(c.loop().batchSize()).isEqualTo(TrainOptions.BATCH_SIZE);
    }

    @Test
    void pretrainedWeightsChangeTheStageAndRateDefaults() {
        TrainOptions o = minimal();
        o.pretrained = Path.of("w.pth");
        o.size = 64;
        TrainConfig c = o.resolve();
        assertThat(c.optimizer().lrRatios()).containsExactly(0.1, 0.3, 1);
        assertThat(c.schedule().headEpochs()).isEqualTo(1);
        assertThat(c.network().input().size()).isEqualTo(64);
        assertThat(c.network().input().mean()).containsExactly(0.485f, 0.456f, 0.406f);
    }

    @Test
    void optionsThatDoNotFitAreBadUsage() {
        TrainOptions ratios = minimal();
        ratios.lrRatios = new double[] {1, 2};
        assertThatThrownBy(ratios::resolve).isInstanceOf(UsageException.class).hasMessageContaining("--lr-ratios");
        TrainOptions every = minimal();
        every.validEvery = 2.0;
        assertThatThrownBy(every::resolve).isInstanceOf(UsageException.class).hasMessageContaining("--valid-every");
        assertThatThrownBy(() -> new TrainOptions().resolve()).isInstanceOf(UsageException.class)
                .hasMessageContaining("--fold and --arch");
    }

    @Test
    void givenNamesTheOptionsAsTyped() {
        TrainOptions o = new TrainOptions();
        o.batchSize = 8;
        o.lrRatios = new double[] {1, 1, 1};
        o.stepsPerEpoch = 3L;
        assertThat(o.given()).containsExactly("--batch-size", "--lr-ratios", "--steps-per-epoch");
    }

    @Test
    void theAsymmetricLossTakesThePapersDefaultsAndItsOptionsOnlyWithAsl() {
        TrainOptions o = minimal();
        o.loss = LossKind.ASL;
        o.aslGammaNeg = 2.0;
        TrainConfig c = o.resolve();
        assertThat(c.objective().asl()).isEqualTo(new dev.imet.inference.Losses.Asymmetric(0, 2, 0.05));
        assertThat(minimal().resolve().objective().asl()).isEqualTo(new dev.imet.inference.Losses.Asymmetric(0, 4, 0.05));
        TrainOptions focal = minimal();
        focal.loss = LossKind.FOCAL;
        assertThat(focal.resolve().objective().asl()).isNull();
        focal.aslClip = 0.1;
        assertThatThrownBy(focal::resolve).isInstanceOf(UsageException.class).hasMessageContaining("--loss asl only");
        TrainOptions badClip = minimal();
        badClip.loss = LossKind.ASL;
        badClip.aslClip = 1.5;
        assertThatThrownBy(badClip::resolve).isInstanceOf(UsageException.class).hasMessageContaining("--asl-clip");
    }

    @Test
    void theMovingAverageIsOffByDefaultAndWarmedUpWhenOn() {
        assertThat(minimal().resolve().optimizer().emaDecay()).isZero();
        TrainOptions o = minimal();
        o.ema = 0.999;
        assertThat(o.resolve().optimizer().emaDecay()).isEqualTo(0.999);
        assertThat(o.resolve().optimizer().emaWarmup()).isTrue();
        o.ema = 1.0;
        assertThatThrownBy(o::resolve).isInstanceOf(UsageException.class).hasMessageContaining("--ema");
    }

    @Test
    void theHeadStartsFromThePriorUnlessABiasOrNoneIsGiven() {
        assertThat(minimal().resolve().network().headBias()).as("computed when the run starts").isNull();
        assertThat(minimal().resolve().network().headBiasPrior()).isTrue();
        TrainOptions o = minimal();
        o.headBias = TrainOptions.HeadBiasChoice.parse("-2.5");
        assertThat(o.resolve().network().headBias()).isEqualTo(-2.5);
        assertThat(o.resolve().network().headBiasPrior()).isFalse();
        o.headBias = TrainOptions.HeadBiasChoice.parse("none");
        assertThat(o.resolve().network().headBias()).isNull();
        assertThat(o.resolve().network().headBiasPrior()).isFalse();
        o.headBias = TrainOptions.HeadBiasChoice.parse("PRIOR");
        assertThat(o.resolve().network().headBias()).as("computed when the run starts").isNull();
        assertThat(o.resolve().network().headBiasPrior()).isTrue();
        assertThatThrownBy(() -> TrainOptions.HeadBiasChoice.parse("Infinity"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Infinity'");
        assertThatThrownBy(() -> TrainOptions.HeadBiasChoice.parse("-4x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither a number nor prior");
    }
}
