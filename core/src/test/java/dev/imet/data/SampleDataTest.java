package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedWritesTheSameBytes() throws IOException {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        String[] options = {"--train", "12", "--test", "4", "--size", "16", "--seed", "7"};
        assertThat(sampleData(first, options)).isZero();
        assertThat(sampleData(second, options)).isZero();
        Map<String, byte[]> firstFiles = contents(first);
        assertThat(firstFiles.keySet()).contains("labels.csv", "train.csv", "sample_submission.csv", "solution.csv");
        assertThat(firstFiles.keySet().stream().filter(name -> name.startsWith("train/"))).hasSize(12);
        assertThat(firstFiles.keySet().stream().filter(name -> name.startsWith("test/"))).hasSize(4);
        assertSameContents(firstFiles, contents(second));
    }

    @Test
    void rewritingAFolderLeavesExactlyTheNewDataSet() throws IOException {
        Path reused = dir.resolve("reused");
        Path fresh = dir.resolve("fresh");
        assertThat(sampleData(reused, "--train", "10", "--test", "5", "--size", "8", "--seed", "1")).isZero();
        assertThat(sampleData(reused, "--train", "6", "--test", "2", "--size", "8", "--seed", "2")).isZero();
        assertThat(sampleData(fresh, "--train", "6", "--test", "2", "--size", "8", "--seed", "2")).isZero();
        assertSameContents(contents(reused), contents(fresh));
    }

    @Test
    void generatedFolderPassesCheckData() {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 20, 5, 16);
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("check-data", "--data", data.toString(), "--decode")).isZero();
        assertThat(out.toString()).contains("ok: 20 train images, 5 test images, 20 labels (culture 4, tag 16)");
        DataFolder folder = DataFolder.load(data);
        assertThat(folder.labels().names()).isEqualTo(SampleData.labelNames());
        assertThat(folder.train()).hasSize(20);
        assertThat(folder.testIds()).hasSize(5);
    }

    @Test
    void everyLabelIsCommonEnoughAndImagesHaveOneToSixLabels() {
        List<SampleData.Item> items = SampleData.items(new SampleData.Options(400, 100, 64, 42), 0, 400);
        int[] counts = new int[SampleData.labelNames().size()];
        for (SampleData.Item item : items) {
            int[] labels = item.scene().labels();
            assertThat(labels.length).isBetween(1, 6);
            Arrays.stream(labels).forEach(id -> counts[id]++);
        }
        assertThat(Arrays.stream(counts).min().orElseThrow()).as("rarest label count").isGreaterThanOrEqualTo(10);
        assertThat(items.stream().map(SampleData.Item::id).distinct()).hasSize(400);
        assertThat(items).allSatisfy(item -> assertThat(item.id()).matches("[0-9a-f]{16}"));
    }

    @Test
    void sceneLabelsNameWhatIsDrawn() {
        SampleScene scene = new SampleScene(SampleScene.Background.LIGHT, true, List.of(
                new SampleScene.Figure(SampleScene.Kind.STAR, SampleScene.Hue.RED, SampleScene.Fill.DOTTED, 0.3, 0.3, 0.12, 0),
                new SampleScene.Figure(SampleScene.Kind.STAR, SampleScene.Hue.BLUE, SampleScene.Fill.SOLID, 0.7, 0.7, 0.12, 0)));
        assertThat(Arrays.stream(scene.labels()).mapToObj(SampleData.labelNames()::get))
                .containsExactly("culture::light", "culture::framed", "tag::star", "tag::red", "tag::blue", "tag::dotted", "tag::two");
    }

    private static int sampleData(Path out, String... options) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(Stream.concat(Stream.of("sample-data", "--out", out.toString()), Stream.of(options)).toArray(String[]::new));
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }

    private static void assertSameContents(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        actual.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(expected.get(name)));
    }
}
