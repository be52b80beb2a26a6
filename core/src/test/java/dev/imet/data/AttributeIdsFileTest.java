package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributeIdsFileTest {
    private static final LabelSet FOUR_LABELS = new LabelSet(List.of("culture::a", "culture::b", "tag::c", "tag::d"));

    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        Path file = Files.createTempFile(dir, "table", ".csv");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsIdsAndSortedDistinctLabels() throws IOException {
        List<Sample> rows = AttributeIdsFile.read(csv("\uFEFFid,attribute_ids\r\na,3 1 3\r\nb,\r\nc,\" 2  0 \"\r\n"), FOUR_LABELS);
        assertThat(rows).containsExactly(new Sample("a", new int[] {1, 3}), new Sample("b", new int[0]),
                new Sample("c", new int[] {0, 2}));
    }

    @Test
    void writesWhatItReads() throws IOException {
        Path file = dir.resolve("out.csv");
        AttributeIdsFile.write(file, List.of("x", "y"), List.of(new int[] {2, 5}, new int[0]));
        assertThat(Files.readString(file)).isEqualTo("id,attribute_ids\nx,2 5\ny,\n");
        assertThat(AttributeIdsFile.read(file)).containsExactly(new Sample("x", new int[] {2, 5}), new Sample("y", new int[0]));
    }

    @Test
    void oneBadRowIsOneLineNamingTheFileAndTheLine() throws IOException {
        Path duplicate = csv("id,attribute_ids\na,1\na,2\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(duplicate)).isInstanceOf(InputException.class)
                .hasMessage(duplicate + " line 3: duplicate id a (first on line 2)");
        Path unknown = csv("id,attribute_ids\na,4\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(unknown, FOUR_LABELS))
                .hasMessage(unknown + " line 2: unknown label id 4 (not in labels.csv)");
        Path negative = csv("id,attribute_ids\na,-1\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(negative)).hasMessage(negative + " line 2: label id -1 is negative");
        Path notANumber = csv("id,attribute_ids\na,1 x\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(notANumber)).hasMessage(notANumber + " line 2: label id 'x' is not an integer");
        Path header = csv("image,attribute_ids\na,1\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(header)).hasMessageStartingWith(header + " line 1: header lacks column id");
    }

    @Test
    void idsFollowTheRulesOfTheDataFolder() throws IOException {
        Path spaces = csv("id,attribute_ids\n a,1\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(spaces))
                .hasMessage(spaces + " line 2: id ' a' has surrounding spaces or control characters");
        Path path = csv("id,attribute_ids\n../a,1\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(path)).hasMessage(path + " line 2: id '../a' is not a plain file name");
        Path empty = csv("id,attribute_ids\n,1\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(empty)).hasMessage(empty + " line 2: empty id");
    }

    @Test
    void severalProblemsAreListedUnderTheFileWithTheirRealLines() throws IOException {
        Path file = csv("id,attribute_ids\na,\"1\n2\"\nb,x\na,3\n");
        assertThatThrownBy(() -> AttributeIdsFile.read(file)).hasMessage(file + " has 2 problems:\n"
                + "  " + file + " line 4: label id 'x' is not an integer\n"
                + "  " + file + " line 5: duplicate id a (first on line 2)");
    }

    @Test
    void aFileWithoutRowsIsReadAsNoRows() throws IOException {
        assertThat(AttributeIdsFile.read(csv("id,attribute_ids\n"))).isEmpty();
        assertThatThrownBy(() -> AttributeIdsFile.read(dir.resolve("none.csv"))).isInstanceOf(InputException.class)
                .hasMessageContaining("none.csv: missing");
    }
}
