package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.common.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {
    @TempDir
    Path dir;

    @Test
    void loadsRowsLabelsAndImagePaths() throws IOException {
        Path data = TestData.tinyDataFolder(dir, 5, 3, 8);
        Files.writeString(data.resolve("train.csv"), String.join("\n", List.of(
                "id,attribute_ids",
                id(data, "train.csv", 2) + ",12 3  3 7",
                id(data, "train.csv", 3) + ", 4 ",
                id(data, "train.csv", 4) + ",0",
                id(data, "train.csv", 5) + ",19",
                id(data, "train.csv", 6) + ",1")) + "\n");
        DataFolder folder = DataFolder.load(data);
        assertThat(folder.labels().size()).isEqualTo(20);
        assertThat(folder.train().get(0)).isEqualTo(new Sample(id(data, "train.csv", 2), new int[] {3, 7, 12}));
        assertThat(folder.train().get(1).labels()).containsExactly(4);
        assertThat(folder.testIds()).containsExactly(id(data, "sample_submission.csv", 2),
                id(data, "sample_submission.csv", 3), id(data, "sample_submission.csv", 4));
        assertThat(folder.trainImage(folder.train().get(0).id())).isRegularFile().hasExtension("png");
        assertThat(folder.testImage(folder.testIds().get(0))).isRegularFile();
    }

    @Test
    void imageInAnotherFormatIsFoundWhenNoPngExists() throws IOException {
        Path data = TestData.tinyDataFolder(dir, 2, 1, 8);
        String id = id(data, "train.csv", 2);
        Files.move(data.resolve("train/" + id + ".png"), data.resolve("train/" + id + ".gif"));
        assertThat(DataFolder.load(data).trainImage(id)).isEqualTo(data.resolve("train/" + id + ".gif"));
    }

    @Test
    void loadFailsWithTheFirstFiftyProblemsAndACount() throws IOException {
        Path data = TestData.tinyDataFolder(dir, 2, 1, 8);
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("train.csv")));
        for (int k = 0; k < 60; k++) {
            lines.add("missing" + k + ",1");
        }
        Files.write(data.resolve("train.csv"), lines);
        assertThatThrownBy(() -> DataFolder.load(data))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("has 60 problems:")
                .hasMessageContaining("train/missing0.png: missing (id missing0, train.csv line 4)")
                .hasMessageContaining("train/missing49.png")
                .hasMessageNotContaining("train/missing50.png")
                .hasMessageContaining("... and 10 more");
    }

    @Test
    void theCsvPartOfTheCheckFindsTheCsvProblemsAndLooksAtNoImage() throws IOException {
        Path data = TestData.tinyDataFolder(dir, 3, 2, 8);
        List<String> train = new ArrayList<>(Files.readAllLines(data.resolve("train.csv")));
        train.set(2, train.get(2) + " 99");
        Files.write(data.resolve("train.csv"), train);
        Files.delete(data.resolve("train/" + id(data, "train.csv", 2) + ".png"));
        Files.writeString(data.resolve("sample_submission.csv"), "id,attribute_ids\nt1,\nt1,\n");

        assertThat(DataChecker.checkTrainCsv(data).problems()).map(DataProblem::toString)
                .containsExactly("train.csv line 3: unknown label id 99 (not in labels.csv)");
        DataReport test = DataChecker.checkTestCsv(data);
        assertThat(test.problems()).map(DataProblem::toString)
                .containsExactly("sample_submission.csv line 3: duplicate id t1 (first on line 2)");
        assertThat(test.testIds()).containsExactly("t1");
        assertThat(test.labels().size()).isEqualTo(20);
        assertThat(DataChecker.check(data, DataChecker.ImageCheck.HEADER).problems()).hasSize(4); // + 2 images
    }

    @Test
    void aTrainRowWithoutLabelIdsIsAProblemOfEveryCommandThatReadsTrainCsv() throws IOException {
        Path data = TestData.tinyDataFolder(dir, 3, 1, 8);
        String id = id(data, "train.csv", 3);
        List<String> train = new ArrayList<>(Files.readAllLines(data.resolve("train.csv")));
        train.set(2, id + ",");
        Files.writeString(data.resolve("train.csv"), "\uFEFF" + String.join("\r\n", train) + "\r\n");
        String problem = "train.csv line 3: id " + id + " has no label ids (empty attribute_ids; every training image"
                + " needs at least one)";
        assertThat(DataChecker.checkTrainCsv(data).problems()).map(DataProblem::toString).containsExactly(problem);
        assertThatThrownBy(() -> DataFolder.load(data)).isInstanceOf(InputException.class).hasMessageContaining(problem);
    }

    @Test
    void loadRefusesAnImageDeclaringMorePixelsThanTheLimitFromItsHeader() throws IOException {
        Path data = TestData.tinyDataFolder(dir, 2, 1, 8);
        String id = id(data, "sample_submission.csv", 2);
        Files.write(data.resolve("test/" + id + ".png"), TestImages.hugeDeclaredPng(26000, 26000, 250));
        assertThatThrownBy(() -> DataFolder.load(data)).isInstanceOf(InputException.class)
                .hasMessageContaining("test/" + id + ".png: declares 26000 x 26000 pixels (676,000,000), more than the"
                        + " limit of 178,956,970; raise it with --max-image-pixels (id " + id + ", sample_submission.csv line 2)");
        assertThat(DataFolder.load(data, 676_000_000).testIds()).contains(id);
        assertThatThrownBy(() -> DataFolder.load(data, 0)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--max-image-pixels must be between 1 and 715827882 (the most pixels a decoded image can hold), not 0");
    }

    @Test
    void sampleLabelsMustBeAscendingAndDistinct() {
        assertThatThrownBy(() -> new Sample("a", new int[] {2, 2})).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Sample("a", new int[] {1, 2})).isEqualTo(new Sample("a", new int[] {1, 2}));
    }

    private static String id(Path data, String file, int line) throws IOException {
        return Files.readAllLines(data.resolve(file)).get(line - 1).split(",")[0];
    }
}
