package dev.imet.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imet.common.InputException;
import dev.imet.data.AttributeIdsFile;
import dev.imet.data.DataFolder;
import dev.imet.data.Sample;
import dev.imet.data.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConstantBaselineTest {
    @TempDir
    Path dir;

    @Test
    void picksTheMostFrequentLabelsAndTheBestCount() {
        // label 2 is in every training row, label 0 in half; the truth always holds 2 and sometimes 0
        List<int[]> train = List.of(new int[] {0, 2}, new int[] {2}, new int[] {0, 2, 3}, new int[] {1, 2});
        List<int[]> truth = List.of(new int[] {2}, new int[] {0, 2}, new int[] {2});
        ConstantBaseline.Result r = ConstantBaseline.best(train, 4, truth, 3);
        // k=1 {2}: F2 = 1, 5/9, 1 -> 0.8519; k=2 {0,2}: 5/6, 1, 5/6 -> 0.8889; k=3 adds label 1 or 3: lower
        assertThat(r.k()).isEqualTo(2);
        assertThat(r.labels()).containsExactly(0, 2);
        assertThat(r.f2()).isCloseTo((5 / 6.0 + 1 + 5 / 6.0) / 3, within(1e-12));
    }

    @Test
    void forDataReadsTrainCsvAndTheSolutionWithTheDataFoldersChecks() throws IOException {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 20, 6, 8);
        Path solution = data.resolve("solution.csv");
        DataFolder folder = DataFolder.load(data);
        List<int[]> truth = AttributeIdsFile.read(solution).stream().map(Sample::labels).toList();
        ConstantBaseline.Result expected = ConstantBaseline.best(folder.train().stream().map(Sample::labels).toList(),
                folder.labels().size(), truth, ConstantBaseline.MAX_K);

        ConstantBaseline.Result result = ConstantBaseline.forData(data, solution);
        assertThat(result.k()).isEqualTo(expected.k());
        assertThat(result.f2()).isEqualTo(expected.f2());

        Files.writeString(solution, Files.readString(solution) + "extra,20\n");
        assertThatThrownBy(() -> ConstantBaseline.forData(data, solution)).isInstanceOf(InputException.class)
                .hasMessage(solution + " line 8: unknown label id 20 (not in labels.csv)");
    }
}
