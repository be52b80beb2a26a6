package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetTest {
    @TempDir
    Path dir;

    @Test
    void groupsArePrefixesBeforeTheSeparatorInFirstAppearanceOrder() {
        LabelSet labels = new LabelSet(List.of("tag::a", "culture::b", "plain", "tag::c::d"));
        assertThat(labels.size()).isEqualTo(4);
        assertThat(labels.name(1)).isEqualTo("culture::b");
        assertThat(labels.groups()).containsExactly("tag", "culture", "default");
        assertThat(labels.group(2)).isEqualTo("default");
        assertThat(labels.group(3)).isEqualTo("tag");
        assertThat(labels.groupIndex(0)).isZero();
        assertThat(labels.groupIndex(1)).isEqualTo(1);
        assertThat(labels.groupIndex(2)).isEqualTo(2);
        assertThat(labels.groupIndex(3)).isZero();
    }

    @Test
    void equalsComparesNamesOnly() {
        assertThat(new LabelSet(List.of("a", "b"))).isEqualTo(new LabelSet(List.of("a", "b")));
        assertThat(new LabelSet(List.of("a", "b")).names()).isEqualTo(List.of("a", "b"));
    }

    @Test
    void readsLabelsInIdOrderWhateverTheRowOrder() throws Exception {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, "attribute_id,attribute_name\n1,tag::x\n0,culture::y\n");
        assertThat(LabelSet.read(file).names()).containsExactly("culture::y", "tag::x");
    }

    @Test
    void readListsEveryProblemWithItsLine() throws Exception {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, "attribute_id,attribute_name\n0,a\nx,b\n0,c\n");
        assertThatThrownBy(() -> LabelSet.read(file))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("labels.csv line 3: attribute_id 'x' is not an integer")
                .hasMessageContaining("labels.csv line 4: duplicate attribute_id 0 (first on line 2)");
    }
}
