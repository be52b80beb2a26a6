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

class FoldsFileTest {
    private static final List<String> TRAIN_IDS = List.of("a", "b", "c");

    @TempDir
    Path dir;

    @Test
    void writesIdFoldRowsInTrainOrderAndReadsThemBack() throws IOException {
        Path folds = dir.resolve("folds.csv");
        FoldsFile.write(folds, TRAIN_IDS, new int[] {1, 0, 1});

        assertThat(Files.readString(folds)).isEqualTo("id,fold\na,1\nb,0\nc,1\n");
        assertThat(FoldsFile.read(folds, List.of("c", "a", "b"))).containsExactly(1, 1, 0);
    }

    @Test
    void anIdThatIsNotInTrainIsAnErrorNamingTheLine() throws IOException {
        Path folds = write("id,fold\na,0\nx,1\nb,0\nc,1\n");
        assertThatThrownBy(() -> FoldsFile.read(folds, TRAIN_IDS)).isInstanceOf(InputException.class)
                .hasMessageContaining(folds + " line 3").hasMessageContaining("'x' is not in train.csv");
    }

    @Test
    void aDuplicateIdIsAnError() throws IOException {
        Path folds = write("id,fold\na,0\nb,1\na,0\nc,1\n");
        assertThatThrownBy(() -> FoldsFile.read(folds, TRAIN_IDS)).isInstanceOf(InputException.class)
                .hasMessageContaining(folds + " line 4").hasMessageContaining("duplicate id a");
    }

    @Test
    void missingIdsAreAnError() throws IOException {
        Path folds = write("id,fold\nb,1\n");
        assertThatThrownBy(() -> FoldsFile.read(folds, TRAIN_IDS)).isInstanceOf(InputException.class)
                .hasMessageContaining("2 ids of train.csv have no fold, e.g. a, c");
    }

    @Test
    void aBadFoldNumberIsAnError() throws IOException {
        Path folds = write("id,fold\na,0\nb,-1\nc,1\n");
        assertThatThrownBy(() -> FoldsFile.read(folds, TRAIN_IDS)).isInstanceOf(InputException.class)
                .hasMessageContaining(folds + " line 3: bad fold number '-1'");
        Path notANumber = write("id,fold\na,0\nb,one\nc,1\n");
        assertThatThrownBy(() -> FoldsFile.read(notANumber, TRAIN_IDS)).isInstanceOf(InputException.class)
                .hasMessageContaining("bad fold number 'one'");
    }

    @Test
    void aByteOrderMarkAndCrlfAreAccepted() throws IOException {
        Path folds = write("\uFEFFid,fold\r\nc,1\r\na,0\r\nb,2\r\n");
        assertThat(FoldsFile.read(folds, TRAIN_IDS)).containsExactly(0, 2, 1);
    }

    @Test
    void idsFollowTheDataFolderRules() throws IOException {
        Path folds = write("id,fold\na,0\n b,1\nc,1\n");
        assertThatThrownBy(() -> FoldsFile.read(folds, TRAIN_IDS)).isInstanceOf(InputException.class)
                .hasMessage(folds + " line 3: id ' b' has surrounding spaces or control characters");
    }

    @Test
    void aMissingFileSaysToMakeFolds() {
        assertThatThrownBy(() -> FoldsFile.read(dir.resolve("none.csv"), TRAIN_IDS))
                .isInstanceOf(InputException.class).hasMessageContaining("run make-folds first");
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "folds", ".csv");
        Files.writeString(file, content);
        return file;
    }
}
