package dev.imet.folds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.common.UsageException;
import dev.imet.data.DataChecker;
import dev.imet.data.DataFolder;
import dev.imet.data.FoldsFile;
import dev.imet.data.Sample;
import dev.imet.data.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MakeFoldsTest {
    @TempDir
    Path dir;

    @Test
    void writesAFoldForEveryTrainRowToTheDataFolderByDefault() {
        Path data = TestData.tinyDataFolder(dir, 30, 2, 8);
        MakeFolds.Result result = MakeFolds.run(new MakeFolds.Options(data, 3, 42, 1, null));

        assertThat(result.target()).isEqualTo(data.resolve("folds.csv"));
        assertThat(result.foldSizes()).hasSize(3).doesNotContain(0);
        assertThat(result.rows()).isEqualTo(30);
        List<String> ids = DataFolder.load(data).train().stream().map(Sample::id).toList();
        int[] folds = FoldsFile.read(result.target(), ids);
        for (int fold = 0; fold < 3; fold++) {
            int f = fold;
            assertThat(Arrays.stream(folds).filter(k -> k == f).count()).isEqualTo(result.foldSizes()[fold]);
        }
    }

    @Test
    void fewerRowsThanFoldsIsBadInputAndWritesNothing() {
        Path data = TestData.tinyDataFolder(dir, 4, 1, 8);
        assertThatThrownBy(() -> MakeFolds.run(new MakeFolds.Options(data, 5, 42, 30, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("train.csv: 4 rows, fewer than the 5 folds");
        assertThat(data.resolve("folds.csv")).doesNotExist();
    }

    @Test
    void fewerThanTwoFoldsIsRefused() {
        assertThatThrownBy(() -> new MakeFolds.Options(dir, 1, 42, 30, null)).isInstanceOf(UsageException.class)
                .hasMessage("--n-folds must be at least 2, not 1");
        assertThat(MakeFolds.Options.defaults(dir).target()).isEqualTo(dir.resolve("folds.csv"));
    }

    /**
     * The same train.csv, rewritten one way per case: make-folds takes it exactly when check-data does, and
     * names the same problem.
     */
    @ParameterizedTest
    @ValueSource(strings = {"as-is", "bom-crlf", "quoted", "space-in-id", "path-in-id", "unknown-label", "not-a-number",
            "duplicate", "extra-column", "header"})
    void makeFoldsAcceptsATrainCsvExactlyWhenCheckDataDoes(String variant) throws IOException {
        Path data = TestData.tinyDataFolder(dir, 12, 2, 8);
        Path trainCsv = data.resolve("train.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(trainCsv));
        UnaryOperator<String> firstRow = switch (variant) {
            case "space-in-id" -> row -> " " + row;
            case "path-in-id" -> row -> "sub/" + row;
            case "unknown-label" -> row -> row + " 99";
            case "not-a-number" -> row -> row + " x";
            case "extra-column" -> row -> row + ",extra";
            case "quoted" -> row -> row.replaceFirst(",(.*)", ",\"$1\"");
            default -> row -> row;
        };
        lines.set(1, firstRow.apply(lines.get(1)));
        if (variant.equals("duplicate")) {
            lines.add(lines.get(2));
        }
        if (variant.equals("header")) {
            lines.set(0, "image,attribute_ids");
        }
        String text = String.join("\n", lines) + "\n";
        if (variant.equals("bom-crlf")) {
            text = "\uFEFF" + text.replace("\n", "\r\n");
        }
        Files.writeString(trainCsv, text);

        var checked = DataChecker.check(data, DataChecker.ImageCheck.HEADER).problems().stream()
                .filter(problem -> problem.location().startsWith("train.csv")).toList();
        String made;
        try {
            MakeFolds.run(new MakeFolds.Options(data, 3, 42, 1, null));
            made = null;
        } catch (InputException e) {
            made = e.getMessage();
        }
        if (checked.isEmpty()) {
            assertThat(made).as(variant).isNull();
        } else {
            assertThat(made).as(variant).isNotNull().contains(checked.get(0).toString());
        }
        assertThat(variant.equals("as-is") || variant.equals("bom-crlf") || variant.equals("quoted"))
                .as(variant + " accepted").isEqualTo(checked.isEmpty());
    }
}
