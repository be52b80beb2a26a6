package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.data.TestData;
import dev.imet.data.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One broken data folder per kind of problem of SPEC §1; each must be reported with its file and line or image. */
class CheckDataCommandTest {
    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void validFolder() {
        TestData.tinyDataFolder(data, 4, 2, 8);
    }

    @Test
    void cleanFolderIsOk() {
        assertThat(checkData()).isZero();
        assertThat(out.toString()).contains("ok: 4 train images, 2 test images, 20 labels (culture 4, tag 16)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void unknownLabelId() throws IOException {
        setCell("train.csv", 3, 1, "1 99");
        assertProblem("train.csv line 3: unknown label id 99 (not in labels.csv)");
    }

    @Test
    void labelIdThatIsNotAnInteger() throws IOException {
        setCell("train.csv", 2, 1, "1 x7");
        assertProblem("train.csv line 2: label id 'x7' is not an integer");
    }

    @Test
    void labelsCsvIdsNotZeroToCMinusOne() throws IOException {
        setCell("labels.csv", 21, 0, "25");
        assertProblem("labels.csv line 21: attribute_id 25 outside 0..19");
    }

    @Test
    void labelsCsvMalformedId() throws IOException {
        setCell("labels.csv", 5, 0, "three");
        assertProblem("labels.csv line 5: attribute_id 'three' is not an integer");
    }

    @Test
    void labelsCsvDuplicateId() throws IOException {
        setCell("labels.csv", 6, 0, "0");
        assertProblem("labels.csv line 6: duplicate attribute_id 0 (first on line 2)");
    }

    @Test
    void duplicateTrainId() throws IOException {
        List<String> lines = lines("train.csv");
        lines.add(lines.get(1));
        write("train.csv", lines);
        assertProblem("train.csv line 6: duplicate id " + lines.get(1).split(",")[0] + " (first on line 2)");
    }

    @Test
    void duplicateTestId() throws IOException {
        List<String> lines = lines("sample_submission.csv");
        lines.add(lines.get(2));
        write("sample_submission.csv", lines);
        assertProblem("sample_submission.csv line 4: duplicate id " + lines.get(2).split(",")[0] + " (first on line 3)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "a\\b", ".", ".."})
    void idThatIsNotAPlainFileName(String id) throws IOException {
        setCell("train.csv", 4, 0, id);
        assertProblem("train.csv line 4: id '" + id + "' is not a plain file name");
    }

    @Test
    void emptyId() throws IOException {
        setCell("sample_submission.csv", 2, 0, "");
        assertProblem("sample_submission.csv line 2: empty id");
    }

    @Test
    void rowWithWrongColumnCount() throws IOException {
        List<String> lines = lines("train.csv");
        lines.set(2, lines.get(2) + ",extra");
        write("train.csv", lines);
        assertProblem("train.csv line 3: expected 2 columns (id,attribute_ids), found 3");
    }

    @Test
    void headerMissingAColumn() throws IOException {
        List<String> lines = lines("sample_submission.csv");
        lines.set(0, "image,attribute_ids");
        write("sample_submission.csv", lines);
        assertProblem("sample_submission.csv line 1: header lacks column id");
    }

    @Test
    void brokenQuoting() throws IOException {
        List<String> lines = lines("train.csv");
        lines.set(3, lines.get(3).replace(",", ",\"1 2"));
        write("train.csv", lines);
        assertProblem("train.csv line 4: malformed CSV: a quoted field is not closed before the end of the file");
    }

    @Test
    void missingTrainImage() throws IOException {
        String id = id("train.csv", 3);
        Files.delete(data.resolve("train/" + id + ".png"));
        assertProblem("train/" + id + ".png: missing (id " + id + ", train.csv line 3)");
    }

    @Test
    void zeroByteImage() throws IOException {
        String id = id("train.csv", 2);
        Files.write(data.resolve("train/" + id + ".png"), new byte[0]);
        assertProblem("train/" + id + ".png: empty file (0 bytes) (id " + id + ", train.csv line 2)");
    }

    @Test
    void undecodableImage() throws IOException {
        String id = id("train.csv", 5);
        Files.writeString(data.resolve("train/" + id + ".png"), "this is not an image");
        assertProblem("train/" + id + ".png: not an image format ImageIO reads");
    }

    @Test
    void truncatedImageIsFoundWithoutDecoding() throws IOException {
        String id = id("train.csv", 2);
        Path image = data.resolve("train/" + id + ".png");
        byte[] bytes = Files.readAllBytes(image);
        Files.write(image, Arrays.copyOf(bytes, 60)); // the header survives, the pixel data does not
        assertProblem("train/" + id + ".png: truncated PNG: chunk IDAT at byte 33 declares " + (bytes.length - 57)
                + " data bytes but the file ends at byte 60 (id " + id + ", train.csv line 2)");
    }

    @Test
    void anImageWhoseDataDoesNotMatchItsSoundHeaderIsFoundByDecoding() throws IOException {
        String id = id("train.csv", 2);
        Path image = data.resolve("train/" + id + ".png");
        ByteBuffer png = ByteBuffer.wrap(Files.readAllBytes(image));
        png.putInt(20, 2 * png.getInt(20)); // twice the rows in IHDR, and a CRC to match: the data is short
        CRC32 crc = new CRC32();
        crc.update(png.array(), 12, 17);
        png.putInt(29, (int) crc.getValue());
        Files.write(image, png.array());
        assertThat(checkData()).as("default pass").isZero();
        assertThat(checkData("--decode")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("train/" + id + ".png: does not decode: ");
    }

    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedUnlessTheLimitIsRaised() throws IOException {
        String id = id("train.csv", 3);
        Files.write(data.resolve("train/" + id + ".png"), TestImages.hugeDeclaredPng(26000, 26000, 250));
        assertProblem("train/" + id + ".png: declares 26000 x 26000 pixels (676,000,000), more than the limit of"
                + " 178,956,970; raise it with --max-image-pixels (id " + id + ", train.csv line 3)");
        err.getBuffer().setLength(0);
        assertThat(checkData("--max-image-pixels", "676000000")).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "715827883"})
    void aPixelLimitOutsideWhatCanBeDecodedIsBadUsage(String limit) {
        assertThat(checkData("--max-image-pixels", limit)).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--max-image-pixels must be between 1 and 715827882");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void trainRowWithoutLabelIds(String labels) throws IOException {
        setCell("train.csv", 3, 1, labels);
        assertProblem("train.csv line 3: id " + id("train.csv", 3)
                + " has no label ids (empty attribute_ids; every training image needs at least one)");
    }

    @Test
    void testRowsNeedNoLabelIds() throws IOException {
        setCell("sample_submission.csv", 2, 1, "");
        setCell("sample_submission.csv", 3, 1, "not labels");
        assertThat(checkData()).isZero();
    }

    @Test
    void testIdWithoutImage() throws IOException {
        String id = id("sample_submission.csv", 3);
        Files.delete(data.resolve("test/" + id + ".png"));
        assertProblem("test/" + id + ".png: missing (id " + id + ", sample_submission.csv line 3)");
    }

    @Test
    void missingImageFolder() throws IOException {
        try (var files = Files.list(data.resolve("test"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(data.resolve("test"));
        assertProblem("test/: folder missing (expected test/{id}.png for the 2 ids of sample_submission.csv)");
    }

    @Test
    void otherImageFormatIsAcceptedWhenNoPngExists() throws IOException {
        String id = id("train.csv", 2);
        Path png = data.resolve("train/" + id + ".png");
        var image = javax.imageio.ImageIO.read(png.toFile());
        javax.imageio.ImageIO.write(image, "jpg", data.resolve("train/" + id + ".jpg").toFile());
        Files.delete(png);
        assertThat(checkData("--decode")).isZero();
    }

    @Test
    void emptyTrainSet() throws IOException {
        write("train.csv", List.of("id,attribute_ids"));
        assertProblem("train.csv: no rows: the train set is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels.csv", "train.csv", "sample_submission.csv"})
    void missingCsvFile(String name) throws IOException {
        Files.delete(data.resolve(name));
        assertProblem(name + ": missing");
    }

    @Test
    void missingDataFolder() {
        data = data.resolve("nowhere");
        assertProblem(data + ": data folder does not exist");
    }

    @Test
    void everyProblemIsReportedInOnePass() throws IOException {
        setCell("train.csv", 2, 1, "1 99");
        setCell("train.csv", 3, 0, "../up");
        String id = id("sample_submission.csv", 2);
        Files.delete(data.resolve("test/" + id + ".png"));
        assertThat(checkData()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString())
                .contains("has 3 problems:")
                .contains("train.csv line 2: unknown label id 99")
                .contains("train.csv line 3: id '../up' is not a plain file name")
                .contains("test/" + id + ".png: missing");
    }

    private int checkData(String... options) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("check-data", "--data", data.toString()));
        args.addAll(List.of(options));
        return cl.execute(args.toArray(String[]::new));
    }

    private void assertProblem(String expected) {
        assertThat(checkData()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).startsWith("error: data folder ").contains(expected);
    }

    private List<String> lines(String file) throws IOException {
        return new ArrayList<>(Files.readAllLines(data.resolve(file)));
    }

    private void write(String file, List<String> lines) throws IOException {
        Files.writeString(data.resolve(file), String.join("\n", lines) + "\n");
    }

    /** The id on a 1-based line of a CSV. */
    private String id(String file, int line) throws IOException {
        return lines(file).get(line - 1).split(",")[0];
    }

    /** Replaces one cell of a 1-based line of a two-column CSV. */
    private void setCell(String file, int line, int column, String value) throws IOException {
        List<String> lines = lines(file);
        String[] cells = lines.get(line - 1).split(",", -1);
        cells[column] = value;
        lines.set(line - 1, String.join(",", cells));
        write(file, lines);
    }
}
