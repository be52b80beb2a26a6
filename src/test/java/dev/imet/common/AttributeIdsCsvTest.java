package dev.imet.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributeIdsCsvTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        Path file = Files.createTempFile(dir, "table", ".csv");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsIdsAndSortedDistinctLabels() throws IOException {
        List<AttributeIdsCsv.Row> rows = AttributeIdsCsv.read(csv("id,attribute_ids\na,3 1 3\nb,\n"), 4);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).id()).isEqualTo("a");
        assertThat(rows.get(0).labels()).containsExactly(1, 3);
        assertThat(rows.get(1).labels()).isEmpty();
    }

    @Test
    void writesWhatItReads() throws IOException {
        Path file = dir.resolve("out.csv");
        AttributeIdsCsv.write(file, List.of("x", "y"), List.of(new int[] {2, 5}, new int[0]));
        assertThat(Files.readString(file)).isEqualTo("id,attribute_ids\nx,2 5\ny,\n");
        assertThat(AttributeIdsCsv.read(file, -1).get(0).labels()).containsExactly(2, 5);
    }

    @Test
    void badRowsAreErrorsNamingFileAndLine() throws IOException {
        Path duplicate = csv("id,attribute_ids\na,1\na,2\n");
        assertThatThrownBy(() -> AttributeIdsCsv.read(duplicate, 4)).isInstanceOf(InputException.class)
                .hasMessage(duplicate + " line 3: duplicate id a");
        Path outOfRange = csv("id,attribute_ids\na,4\n");
        assertThatThrownBy(() -> AttributeIdsCsv.read(outOfRange, 4))
                .hasMessage(outOfRange + " line 2: unknown label id '4' for image a (label ids are 0..3)");
        Path emptyId = csv("id,attribute_ids\n,1\n");
        assertThatThrownBy(() -> AttributeIdsCsv.readIds(emptyId)).hasMessage(emptyId + " line 2: empty id");
    }

    @Test
    void aWrongHeaderOrNoRowsIsAnError() throws IOException {
        Path header = csv("image,labels\na,1\n");
        assertThatThrownBy(() -> AttributeIdsCsv.read(header, 4)).isInstanceOf(InputException.class)
                .hasMessageContaining(header + " line 1: header must have the columns id,attribute_ids");
        Path empty = csv("id,attribute_ids\n");
        assertThatThrownBy(() -> AttributeIdsCsv.read(empty, 4)).hasMessage(empty + ": no rows");
        assertThatThrownBy(() -> AttributeIdsCsv.readIds(dir.resolve("none.csv"))).hasMessageContaining("file not found");
    }
}
