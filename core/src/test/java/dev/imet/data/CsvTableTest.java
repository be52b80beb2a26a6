package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    private static final List<String> COLUMNS = List.of("id", "attribute_ids");

    @TempDir
    Path dir;

    private final List<DataProblem> problems = new ArrayList<>();

    private CsvTable read(String content) throws IOException {
        Path file = dir.resolve("t.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return CsvTable.read(file, "t.csv", COLUMNS, problems::add);
    }

    private List<String> messages() {
        return problems.stream().map(DataProblem::toString).toList();
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        CsvTable table = read("\uFEFFid,attribute_ids\na,1\n");
        assertThat(problems).isEmpty();
        assertThat(table.rows()).containsExactly(new CsvTable.Row(2, List.of("a", "1")));
    }

    @Test
    void crlfLineEndsGiveTheSameRowsAndLines() throws IOException {
        CsvTable table = read("id,attribute_ids\r\na,1 2\r\nb,\r\n");
        assertThat(problems).isEmpty();
        assertThat(table.rows()).containsExactly(new CsvTable.Row(2, List.of("a", "1 2")), new CsvTable.Row(3, List.of("b", "")));
    }

    @Test
    void columnsAreFoundByNameInAnyOrderAndExtraColumnsAreAllowed() throws IOException {
        CsvTable table = read("attribute_ids, extra ,id\n1 2,x,a\n");
        assertThat(problems).isEmpty();
        assertThat(table.rows()).containsExactly(new CsvTable.Row(2, List.of("a", "1 2")));
    }

    @Test
    void quotedFieldsMaySpanLinesAndLaterRowsKeepTheirRealLine() throws IOException {
        CsvTable table = read("id,attribute_ids\n\"a,1\",\"1\n2\"\nb,3\nc,4,extra\nd,5\n");
        assertThat(table.rows()).containsExactly(
                new CsvTable.Row(2, List.of("a,1", "1\n2")),
                new CsvTable.Row(4, List.of("b", "3")),
                new CsvTable.Row(6, List.of("d", "5")));
        assertThat(messages()).containsExactly("t.csv line 5: expected 2 columns (id,attribute_ids), found 3");
        assertThat(table.malformedRows()).isEqualTo(1);
        assertThat(table.isEmpty()).isFalse();
    }

    @Test
    void aMultiLineFieldWithCrlfCountsEveryLine() throws IOException {
        read("\uFEFFid,attribute_ids\r\na,\"1\r\n2\r\n3\"\r\nb,1,x\r\n");
        assertThat(messages()).containsExactly("t.csv line 5: expected 2 columns (id,attribute_ids), found 3");
    }

    @Test
    void aMissingColumnMakesTheFileUnusable() throws IOException {
        assertThat(read("id,labels\na,1\n")).isNull();
        assertThat(messages()).containsExactly(
                "t.csv line 1: header lacks column attribute_ids (expected id,attribute_ids, found id,labels)");
    }

    @Test
    void brokenQuotingNamesTheLineTheFieldStartsOn() throws IOException {
        assertThat(read("id,attribute_ids\na,1\nb,\"1 2\nc,3\n")).isNull();
        assertThat(messages()).containsExactly("t.csv line 3: malformed CSV: a quoted field is not closed before the end of the file");
        problems.clear();
        assertThat(read("id,attribute_ids\na,1\nb,\"1\"2\n")).isNull();
        assertThat(messages()).containsExactly("t.csv line 3: malformed CSV: text after the closing quote of a field");
    }

    @Test
    void aMissingOrEmptyFileIsUnusable() throws IOException {
        assertThat(CsvTable.read(dir.resolve("none.csv"), "none.csv", COLUMNS, problems::add)).isNull();
        assertThat(read("")).isNull();
        assertThat(messages()).containsExactly(
                "none.csv: missing (expected a CSV file with columns id,attribute_ids)",
                "t.csv: empty file (expected a header id,attribute_ids)");
    }

    @Test
    void aFileThatIsNotUtf8IsUnusable() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, new byte[] {'i', 'd', ',', 'x', '\n', (byte) 0xe9, ',', '1', '\n'});
        assertThat(CsvTable.read(file, "latin1.csv", List.of("id"), problems::add)).isNull();
        assertThat(messages()).containsExactly("latin1.csv: not UTF-8 text");
    }

    @Test
    void aHeaderWithoutRowsIsEmpty() throws IOException {
        CsvTable table = read("id,attribute_ids\n");
        assertThat(problems).isEmpty();
        assertThat(table.isEmpty()).isTrue();
    }

    @Test
    void writesWithLfAndQuotesOnlyWhereNeededAndReadsItBack() throws IOException {
        Path file = dir.resolve("out.csv");
        List<List<String>> rows = List.of(List.of("a", "1 2"), List.of("b,c", ""), List.of("d", "x\"y"));
        CsvTable.write(file, COLUMNS, rows.size(), rows::get);
        assertThat(Files.readString(file)).isEqualTo("id,attribute_ids\na,1 2\n\"b,c\",\nd,\"x\"\"y\"\n");
        CsvTable table = CsvTable.read(file, "out.csv", COLUMNS, problems::add);
        assertThat(table.rows().stream().map(CsvTable.Row::values)).containsExactlyElementsOf(rows);
    }

    @Test
    void aFileTooLargeToHoldIsRefusedBeforeItIsRead() throws IOException {
        Path huge = dir.resolve("huge.csv");
        try (var channel = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), CsvTable.MAX_BYTES); // sparse: no disk used
        }
        assertThat(CsvTable.read(huge, "huge.csv", COLUMNS, problems::add)).isNull();
        assertThat(messages()).singleElement().asString().startsWith("huge.csv: 1,073,741,825 bytes, more than");
    }
}
