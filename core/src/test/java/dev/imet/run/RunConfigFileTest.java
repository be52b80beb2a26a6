package dev.imet.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.common.InputSpec;
import dev.imet.inference.LossKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigFileTest {
    @TempDir
    Path dir;

    static TrainConfig config() {
        return new TrainConfig(
                new TrainConfig.Data(Path.of("data"), Path.of("data/folds.csv"), 3, 178_956_970),
                new TrainConfig.Network("resnet18", new InputSpec(64, new float[] {0.5f, 0.4f, 0.3f},
                        new float[] {0.2f, 0.2f, 0.2f}), null, "module.=", false, -4.0),
                new TrainConfig.Optimizer(2e-3, new double[] {0.1, 0.3, 1}, 1e-4, 10),
                new TrainConfig.Schedule(20, 1, 0.1, TrainConfig.Decay.COSINE, 2),
                new TrainConfig.Objective(LossKind.BCE, 0.2),
                new TrainConfig.Loop(32, 0.5, 4, 10, 2, 0, 7),
                new TrainConfig.Execution("bf16", "contiguous", "matmul", "given"),
                Path.of("runs/x"));
    }

    private Path written() {
        Path file = dir.resolve("config.json");
        RunConfigFile.write(file, new RunConfigFile.Content(config(),
                new Provenance("0.1.0", 7, "sha256:0123", "2026-12-01T00:00:00Z", "17", "PyTorch 2.7.1",
                        Map.of("GOMP_SPINCOUNT", "3000"))));
        return file;
    }

    private Path edited(String from, String to) throws Exception {
        Path file = written();
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
        return file;
    }

    @Test
    void writesExplicitKeysWithAFormatAndReadsThemBack() throws Exception {
        Path file = written();
        String text = Files.readString(file);
        assertThat(text).contains("\"format\" : 2", "\"lr_ratios\"", "\"mixup_alpha\"", "\"steps_per_epoch_limit\"",
                "\"prefix_map\" : \"module.=\"", "\"pretrained\" : null", "\"decay\" : \"COSINE\"",
                "\"precision\" : \"bf16\"", "\"memory_format\" : \"contiguous\"", "\"head_bias\" : -4.0");
        RunConfigFile.Content back = RunConfigFile.read(file);
        assertThat(back.config()).isEqualTo(config());
        assertThat(back.provenance().seed()).isEqualTo(7);
        assertThat(back.provenance().engineEnvironment()).containsExactly(Map.entry("GOMP_SPINCOUNT", "3000"));
    }

    @Test
    void aConfigWrittenBeforeTheEngineEnvironmentWasRecordedReadsWithoutIt() throws Exception {
        Path file = edited(",\n    \"engine_environment\" : {\n      \"GOMP_SPINCOUNT\" : \"3000\"\n    }", "");
        assertThat(Files.readString(file)).doesNotContain("engine_environment");
        RunConfigFile.Content back = RunConfigFile.read(file);
        assertThat(back.provenance().engineEnvironment()).isNull();
        assertThat(back.provenance().engine()).isEqualTo("PyTorch 2.7.1");
    }

    @Test
    void aFileWrittenBeforeTheHeadBiasReadsAsPyTorchsInitialisation() throws Exception {
        Path file = written();
        String text = Files.readString(file);
        String without = text.replaceAll(",\\s*\"head_bias\" : -4.0,\\s*\"head_bias_prior\" : false", "");
        assertThat(without).isNotEqualTo(text).doesNotContain("head_bias");
        Files.writeString(file, without);
        assertThat(RunConfigFile.read(file).config().network().headBias()).isNull();
        assertThat(RunConfigFile.read(file).config().network().headBiasPrior()).isFalse();
    }

    @Test
    void flattensToDottedKeys() {
        var flat = RunConfigFile.flatten(config());
        assertThat(flat).containsEntry("optimizer.lr", "0.002").containsEntry("network.arch", "resnet18")
                .containsEntry("optimizer.lr_ratios", "[0.1,0.3,1.0]").containsEntry("network.pretrained", "null")
                .containsEntry("network.input.size", "64");
    }

    @Test
    void aFileWithoutAFormatOrOfAnotherFormatIsRefused() throws Exception {
        Path old = dir.resolve("old.json");
        Files.writeString(old, "{\"data\": \"data\", \"fold\": 0, \"lr\": 0.001}");
        assertThatThrownBy(() -> RunConfigFile.read(old)).isInstanceOf(InputException.class)
                .hasMessage(old + ": no 'format' key: not a run configuration of this version of imet (it reads"
                        + " formats 1 and 2)");
        Path next = edited("\"format\" : 2", "\"format\" : 3");
        assertThatThrownBy(() -> RunConfigFile.read(next)).isInstanceOf(InputException.class)
                .hasMessageContaining("format 3 is not one this version of imet reads");
    }

    /** Format 1 had no execution: its runs computed in float32 on channels-last input, and read back so. */
    @Test
    void aFormat1FileReadsAsFp32ChannelsLast() throws Exception {
        Path file = written();
        String text = Files.readString(file).replace("\"format\" : 2", "\"format\" : 1")
                .replaceAll(",\\s*\"execution\" : \\{[^}]*\\}", "");
        assertThat(text).doesNotContain("execution").doesNotContain("precision");
        Files.writeString(file, text);
        TrainConfig back = RunConfigFile.read(file).config();
        assertThat(back.execution().precision()).isEqualTo("fp32");
        assertThat(back.execution().memoryFormat()).isEqualTo("channels-last");
        assertThat(back.execution().smallConvolutions()).isEqualTo("direct");
        assertThat(back.withExecution(config().execution())).isEqualTo(config());
    }

    /** Runs before --small-convolutions ran every convolution direct, and resume so. */
    @Test
    void aFileWrittenBeforeTheSmallConvolutionsReadsAsDirect() throws Exception {
        Path file = written();
        String text = Files.readString(file);
        String without = text.replaceAll(",\\s*\"small_convolutions\" : \"matmul\"", "");
        assertThat(without).isNotEqualTo(text).doesNotContain("small_convolutions");
        Files.writeString(file, without);
        TrainConfig back = RunConfigFile.read(file).config();
        assertThat(back.execution().smallConvolutions()).isEqualTo("direct");
        assertThat(back.execution().precision()).isEqualTo("bf16");
    }

    @Test
    void aFormat2FileWithoutItsExecutionIsRefused() throws Exception {
        Path file = written();
        Files.writeString(file, Files.readString(file).replaceAll(",\\s*\"execution\" : \\{[^}]*\\}", ""));
        assertThatThrownBy(() -> RunConfigFile.read(file)).isInstanceOf(InputException.class)
                .hasMessage(file + ": missing key 'config.execution'");
    }

    @Test
    void aMisspeltKeyIsRefusedNamingIt() throws Exception {
        Path file = edited("\"weight_decay\"", "\"weight_decy\"");
        assertThatThrownBy(() -> RunConfigFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": unknown key 'config.optimizer.weight_decy'");
    }

    @Test
    void aMissingKeyIsRefusedNamingIt() throws Exception {
        Path file = edited("\"early_stop\" : 4,", "");
        assertThatThrownBy(() -> RunConfigFile.read(file)).isInstanceOf(InputException.class)
                .hasMessage(file + ": missing key 'config.loop.early_stop'");
    }

    @Test
    void aValueOfTheWrongKindIsRefusedNamingTheKey() throws Exception {
        Path loss = edited("\"loss\" : \"BCE\"", "\"loss\" : \"SQUARED\"");
        assertThatThrownBy(() -> RunConfigFile.read(loss)).isInstanceOf(InputException.class)
                .hasMessageContaining("config.objective.loss");
        Path ratios = edited("\"lr_ratios\" : [ 0.1, 0.3, 1.0 ]", "\"lr_ratios\" : [ 0.1 ]");
        assertThatThrownBy(() -> RunConfigFile.read(ratios)).isInstanceOf(InputException.class)
                .hasMessageContaining("config.optimizer").hasMessageContaining("lr-ratios needs 3 values");
    }

    @Test
    void theLossParametersAndTheMovingAverageRoundTrip() throws Exception {
        TrainConfig base = config();
        TrainConfig asl = new TrainConfig(base.data(), base.network(),
                new TrainConfig.Optimizer(2e-3, new double[] {0.1, 0.3, 1}, 1e-4, 10, 0.999, false), base.schedule(),
                new TrainConfig.Objective(LossKind.ASL, 0.2, new dev.imet.inference.Losses.Asymmetric(1, 3, 0.1)),
                base.loop(), base.execution(), base.runDir());
        Path file = dir.resolve("asl.json");
        RunConfigFile.write(file, new RunConfigFile.Content(asl,
                new Provenance("0.1.0", 7, "sha256:0123", "2026-12-01T00:00:00Z", "17", "PyTorch 2.7.1",
                        Map.of("GOMP_SPINCOUNT", "3000"))));
        assertThat(Files.readString(file)).contains("\"ema_decay\" : 0.999", "\"gamma_neg\" : 3.0");
        assertThat(RunConfigFile.read(file).config()).isEqualTo(asl);
        assertThat(RunConfigFile.read(file).config().objective().lossFunction().asymmetric().clip()).isEqualTo(0.1);
        assertThat(RunConfigFile.flatten(asl)).containsEntry("objective.asl.gamma_pos", "1.0")
                .containsEntry("optimizer.ema_decay", "0.999");
    }

    @Test
    void aRunFolderWrittenBeforeTheLossParametersAndTheMovingAverageStillReads() throws Exception {
        Path file = edited("\"asl\" : null", "\"asl_gone\" : null");
        Files.writeString(file, Files.readString(file).replace(",\n      \"asl_gone\" : null", "")
                .replaceAll(",\\s*\"ema_decay\" : 0\\.0,\\s*\"ema_warmup\" : true", ""));
        assertThat(Files.readString(file)).doesNotContain("asl").doesNotContain("ema");
        TrainConfig back = RunConfigFile.read(file).config();
        assertThat(back).isEqualTo(config());
        assertThat(back.optimizer().emaDecay()).isZero();
    }

    @Test
    void asymmetricLossParametersForAnotherLossAreRefused() throws Exception {
        Path file = edited("\"asl\" : null", "\"asl\" : {\"gamma_pos\" : 0, \"gamma_neg\" : 4, \"clip\" : 0.05}");
        assertThatThrownBy(() -> RunConfigFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageContaining("config.objective").hasMessageContaining("asl loss only");
    }
}
