package dev.imet.data;

import java.nio.file.Path;

/** Valid data folders for tests of any stage, made by the sample-data generator. */
public final class TestData {
    private TestData() {}

    /**
     * Writes a valid data folder (SPEC §1 layout, 20 labels in groups culture and tag, plus solution.csv) with
     * {@code train} and {@code test} images of {@code size} pixels into {@code dir}, and returns {@code dir}.
     */
    public static Path tinyDataFolder(Path dir, int train, int test, int size) {
        SampleData.write(dir, new SampleData.Options(train, test, size, 42));
        return dir;
    }
}
