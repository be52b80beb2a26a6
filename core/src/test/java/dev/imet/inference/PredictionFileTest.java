package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.imet.common.InputException;
import dev.imet.common.Npz;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionFileTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PredictionFileTest.class.getResource("/fixtures/" + name).toURI());
    }

    /** fixtures/pred_numpy.npz: numpy.savez, ids '<U4', probs '<f4' (see fixtures/make_npz_fixtures.sh). */
    @Test
    void readsAFileWrittenByNumpySavez() throws Exception {
        PredictionFile file = PredictionFile.read(fixture("pred_numpy.npz"));
        assertThat(file.ids()).containsExactly("a1", "b22", "cé33");
        assertThat(file.numClasses()).isEqualTo(2);
        assertThat(file.probs()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.625f);
    }

    /** fixtures/pred_numpy_compressed.npz: numpy.savez_compressed, ids '|S3', probs '<f8'. */
    @Test
    void readsACompressedFileWithByteStringsAndDoubles() throws Exception {
        PredictionFile file = PredictionFile.read(fixture("pred_numpy_compressed.npz"));
        assertThat(file.ids()).containsExactly("a1", "b22", "c33");
        assertThat(file.probs()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.625f);
    }

    @Test
    void writesWhatNumpySavezWritesAndReadsItBack() throws Exception {
        Path npz = dir.resolve("pred.npz");
        PredictionFile written = new PredictionFile(List.of("a1", "b22", "cé33"), 2,
                new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.625f});
        written.write(npz);

        PredictionFile read = PredictionFile.read(npz);
        assertThat(read.ids()).isEqualTo(written.ids());
        assertThat(read.probs()).isEqualTo(written.probs());
        // The same arrays as fixtures/pred_numpy.npz: every .npy entry byte for byte as numpy wrote it.
        try (ZipFile ours = new ZipFile(npz.toFile()); ZipFile numpys = new ZipFile(fixture("pred_numpy.npz").toFile())) {
            assertThat(ours.stream().map(ZipEntry::getName)).containsExactly("ids.npy", "probs.npy");
            assertThat(ours.stream().map(ZipEntry::getMethod)).containsOnly(ZipEntry.STORED);
            for (String entry : List.of("ids.npy", "probs.npy")) {
                assertThat(ours.getInputStream(ours.getEntry(entry)).readAllBytes())
                        .isEqualTo(numpys.getInputStream(numpys.getEntry(entry)).readAllBytes());
            }
        }
    }

    /** Runs numpy on a file we wrote; skipped where numpy is not installed. */
    @Test
    void numpyLoadsAFileWeWrote() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeThat(Files.isExecutable(python)).isTrue();
        assumeThat(new ProcessBuilder(python.toString(), "-c", "import numpy").start().waitFor()).isZero();
        Path npz = dir.resolve("pred.npz");
        new PredictionFile(List.of("a", "bé"), 3, new float[] {0.5f, 0.25f, 1, 0, 0.125f, 0.75f}).write(npz);

        Process process = new ProcessBuilder(python.toString(), "-c",
                "import numpy, sys; d = numpy.load(sys.argv[1]); print(list(d['ids']), d['probs'].dtype,"
                        + " d['probs'].tolist())", npz.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("['a', 'bé'] float32 [[0.5, 0.25, 1.0], [0.0, 0.125, 0.75]]");
    }

    @Test
    void aMissingArrayIsAnErrorNamingTheFileAndTheArrays() {
        Path npz = dir.resolve("only-ids.npz");
        Npz.write(npz, Map.of("ids", new Npz.Strings(List.of("a"))));
        assertThatThrownBy(() -> PredictionFile.read(npz)).isInstanceOf(InputException.class)
                .hasMessageContaining(npz.toString()).hasMessageContaining("no array 'probs' (arrays: ids)");
    }

    @Test
    void probabilitiesMustBeTwoDimensional() {
        Path npz = dir.resolve("flat.npz");
        Npz.write(npz, Map.of("ids", new Npz.Strings(List.of("a", "b")), "probs", new Npz.Floats(new int[] {2}, new float[2])));
        assertThatThrownBy(() -> PredictionFile.read(npz)).isInstanceOf(InputException.class)
                .hasMessageContaining(npz.toString()).hasMessageContaining("must be a 2-D float array");
    }

    @Test
    void theIdCountMustMatchTheRows() {
        Path npz = dir.resolve("short.npz");
        Npz.write(npz, Map.of("ids", new Npz.Strings(List.of("a")), "probs", new Npz.Floats(new int[] {2, 1}, new float[2])));
        assertThatThrownBy(() -> PredictionFile.read(npz)).isInstanceOf(InputException.class)
                .hasMessageContaining("1 ids but 2 rows");
    }

    @Test
    void duplicateIdsAndNotANumberAreErrors() {
        Path duplicate = dir.resolve("dup.npz");
        new PredictionFile(List.of("a", "a"), 1, new float[2]).write(duplicate);
        assertThatThrownBy(() -> PredictionFile.read(duplicate)).hasMessageContaining("duplicate id a");
        Path nan = dir.resolve("nan.npz");
        new PredictionFile(List.of("a", "b"), 2, new float[] {0, 0, 0, Float.NaN}).write(nan);
        assertThatThrownBy(() -> PredictionFile.read(nan)).isInstanceOf(InputException.class)
                .hasMessage(nan + ": id b has probability NaN, which is not a number (label 1)");
    }

    @Test
    void probabilitiesOutsideZeroToOneAreErrorsNamingTheFileTheIdAndTheLabel() {
        Map<Float, String> values = Map.of(Float.POSITIVE_INFINITY, "Infinity", Float.NEGATIVE_INFINITY, "-Infinity",
                -0.1f, "-0.1", 1.5f, "1.5");
        values.forEach((value, text) -> {
            Path npz = dir.resolve("bad" + text + ".npz");
            new PredictionFile(List.of("a", "b"), 3, new float[] {0, 0.5f, 1, 0.25f, 0.75f, value}).write(npz);
            assertThatThrownBy(() -> PredictionFile.read(npz)).isInstanceOf(InputException.class)
                    .hasMessage(npz + ": id b has probability " + text + ", outside [0, 1] (label 2)");
        });
        Path edges = dir.resolve("edges.npz");
        new PredictionFile(List.of("a"), 3, new float[] {0, -0.0f, 1}).write(edges);
        assertThat(PredictionFile.read(edges).probs()).containsExactly(0, -0.0f, 1);
    }

    @Test
    void otherDtypesAndFortranOrderAreRejected() throws IOException {
        Path ints = npzWithProbsHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", 8);
        assertThatThrownBy(() -> PredictionFile.read(ints)).isInstanceOf(InputException.class)
                .hasMessageContaining(ints + ": array 'probs' has dtype '<i8'");
        Path fortran = npzWithProbsHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", 4);
        assertThatThrownBy(() -> PredictionFile.read(fortran)).hasMessageContaining("Fortran order");
        Path bigEndian = npzWithProbsHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }", 4);
        assertThatThrownBy(() -> PredictionFile.read(bigEndian)).hasMessageContaining("dtype '>f4'");
        Path truncated = npzWithProbsHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", 2);
        assertThatThrownBy(() -> PredictionFile.read(truncated)).hasMessageContaining("truncated");
    }

    @Test
    void aFileThatIsNotAZipOrIsMissingIsAnError() throws IOException {
        Path text = dir.resolve("text.npz");
        Files.writeString(text, "not a zip");
        assertThatThrownBy(() -> PredictionFile.read(text)).isInstanceOf(InputException.class)
                .hasMessageContaining(text + ": not an .npz (zip) file");
        assertThatThrownBy(() -> PredictionFile.read(dir.resolve("none.npz"))).isInstanceOf(InputException.class)
                .hasMessageContaining("file not found");
    }

    /** An .npz whose ids array is fine and whose probs array has the given header and dataBytes zero bytes. */
    private Path npzWithProbsHeader(String header, int dataBytes) throws IOException {
        Path npz = Files.createTempFile(dir, "crafted", ".npz");
        try (OutputStream out = Files.newOutputStream(npz); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("ids.npy"));
            zip.write(npy("{'descr': '<U1', 'fortran_order': False, 'shape': (1,), }", 4));
            zip.putNextEntry(new ZipEntry("probs.npy"));
            zip.write(npy(header, dataBytes));
        }
        return npz;
    }

    private static byte[] npy(String header, int dataBytes) {
        byte[] text = (header + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[10 + text.length + dataBytes];
        byte[] prefix = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, 0};
        System.arraycopy(prefix, 0, bytes, 0, 10);
        System.arraycopy(text, 0, bytes, 10, text.length);
        bytes[10 + text.length] = 'a'; // the ids array's single character
        return bytes;
    }
}
