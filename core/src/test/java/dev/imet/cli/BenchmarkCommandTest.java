package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imet.data.SampleData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkCommandTest {
    @Test
    void printsOneJsonLineWithTheMeasurements() throws Exception {
        var result = CommandRunner.run("benchmark", "--arch", "tiny_resnet", "--size", "32", "--batch-size", "2",
                "--classes", "5", "--warmup", "0", "--train-iters", "2", "--infer-iters", "2", "--threads", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(result.out());
        assertThat(line.get("side").asText()).isEqualTo("java");
        assertThat(line.get("arch").asText()).isEqualTo("tiny_resnet");
        assertThat(line.get("batch").asInt()).isEqualTo(2);
        assertThat(line.get("params").asLong()).isPositive();
        assertThat(line.get("train_img_s").asDouble()).isPositive();
        assertThat(line.get("infer_img_s").asDouble()).isPositive();
        assertThat(line.get("peak_rss_mb").asLong()).isPositive();
        assertThat(line.has("file_over_memory")).isFalse();
    }

    @Test
    void withDataAlsoFeedsTheStepsFromImageFiles(@TempDir Path dir) throws Exception {
        SampleData.write(dir, new SampleData.Options(8, 2, 48, 1));
        var result = CommandRunner.run("benchmark", "--arch", "tiny_resnet", "--size", "32", "--batch-size", "2",
                "--warmup", "0", "--train-iters", "3", "--infer-iters", "1", "--threads", "1", "--workers", "1",
                "--data", dir.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(result.out());
        assertThat(line.get("file_fed_train_s").asDouble()).isPositive();
        assertThat(line.get("in_memory_train_s").asDouble()).isPositive();
        assertThat(line.get("file_over_memory").asDouble()).isPositive();
    }

    @Test
    void measuresEitherMemoryFormat() throws Exception {
        for (String format : new String[] {"contiguous", "channels-last"}) {
            var result = CommandRunner.run("benchmark", "--arch", "tiny_resnet", "--size", "32", "--batch-size", "2",
                    "--classes", "5", "--warmup", "0", "--train-iters", "1", "--infer-iters", "1", "--threads", "1",
                    "--memory-format", format);
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(new ObjectMapper().readTree(result.out()).get("memory_format").asText()).isEqualTo(format);
        }
        var bad = CommandRunner.run("benchmark", "--arch", "tiny_resnet", "--memory-format", "nhwc");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--memory-format");
    }

    /**
     * The trace of a training step lists the engine's operations; none of them is autograd's copy-back of an in-place
     * operation on a view ({@code CopySlices}), which costs a whole-tensor copy per residual block. Beside it, the
     * trace of an inference batch: batch norm folded into the convolutions, so none runs.
     */
    @Test
    void profileIsTheEngineTraceOfATrainingStepAndAnInferenceBatch(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.json");
        var result = CommandRunner.run("benchmark", "--arch", "tiny_resnet", "--size", "32", "--batch-size", "2",
                "--classes", "5", "--warmup", "0", "--train-iters", "1", "--infer-iters", "1", "--threads", "1",
                "--profile", trace.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        String json = java.nio.file.Files.readString(trace);
        new ObjectMapper().readTree(json);
        assertThat(json).contains("aten::convolution_backward", "aten::native_batch_norm").doesNotContain("CopySlices");
        Path inference = dir.resolve("trace-inference.json");
        String inferenceJson = java.nio.file.Files.readString(inference);
        new ObjectMapper().readTree(inferenceJson);
        assertThat(inferenceJson).contains("aten::mkldnn_convolution").doesNotContain("batch_norm", "backward");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(trace, inference);
        }
    }

    @Test
    void unknownArchitectureIsBadUsage() {
        var result = CommandRunner.run("benchmark", "--arch", "nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown architecture 'nope'");
    }
}
