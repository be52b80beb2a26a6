package dev.imet.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteKeepsTheOldContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.csv");
        AtomicFiles.writeString(target, "old\n");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(Files.readString(target)).isEqualTo("old\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aWriteRemovesTemporaryFilesThatAKilledWriterLeftBehind() throws IOException {
        Path target = dir.resolve("checkpoint.safetensors");
        Path leftover = Files.writeString(dir.resolve(".checkpoint.safetensors.12345.tmp"), "partial");
        Path unrelated = Files.writeString(dir.resolve(".other.12345.tmp"), "not ours");
        AtomicFiles.writeString(target, "new");
        assertThat(leftover).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(Files.readString(target)).isEqualTo("new");
    }
}
