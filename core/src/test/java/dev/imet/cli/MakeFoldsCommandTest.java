package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.data.FoldsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeFoldsCommandTest {
    @TempDir
    Path data;

    private final List<String> ids = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeDataFolder() throws IOException {
        Files.writeString(data.resolve("labels.csv"),
                "attribute_id,attribute_name\n0,culture::a\n1,culture::b\n2,tag::c\n3,tag::d\n");
        StringBuilder train = new StringBuilder("id,attribute_ids\n");
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            String id = String.format("img%03x", i * 7919 % 4096);
            ids.add(id);
            train.append(id).append(',').append(random.nextInt(2)).append(' ').append(2 + random.nextInt(2)).append('\n');
        }
        Files.writeString(data.resolve("train.csv"), train);
    }

    private int run(String... args) {
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void writesEveryTrainIdOnceAndPrintsFoldSizes() {
        assertThat(run("make-folds", "--data", data.toString(), "--n-folds", "5")).isZero();

        int[] folds = FoldsFile.read(data.resolve("folds.csv"), ids);
        assertThat(folds).hasSize(200);
        assertThat(out.toString()).contains("200 rows in 5 folds").contains("fold 0: ").contains("fold 4: ");
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        Path first = data.resolve("first.csv");
        Path second = data.resolve("second.csv");
        Path otherSeed = data.resolve("other.csv");
        assertThat(run("make-folds", "--data", data.toString(), "--out", first.toString())).isZero();
        assertThat(run("make-folds", "--data", data.toString(), "--out", second.toString())).isZero();
        assertThat(run("make-folds", "--data", data.toString(), "--seed", "7", "--out", otherSeed.toString())).isZero();

        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        assertThat(Files.readAllBytes(otherSeed)).isNotEqualTo(Files.readAllBytes(first));
    }

    @Test
    void anUnknownLabelIdIsBadInputNamingFileAndLineAndWritesNothing() throws IOException {
        Files.writeString(data.resolve("train.csv"), "id,attribute_ids\na,0 1\nb,2 9\n");

        assertThat(run("make-folds", "--data", data.toString(), "--n-folds", "2")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("train.csv line 3: unknown label id 9 (not in labels.csv)");
        assertThat(data.resolve("folds.csv")).doesNotExist();
    }

    @Test
    void fewerThanTwoFoldsIsAUsageError() {
        assertThat(run("make-folds", "--data", data.toString(), "--n-folds", "1")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--n-folds must be at least 2, not 1");
    }

    @Test
    void helpShowsTheDefaults() {
        assertThat(run("make-folds", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("(default: 10)", "(default: 42)", "(default: 30)", "DIR/folds.csv");
    }
}
