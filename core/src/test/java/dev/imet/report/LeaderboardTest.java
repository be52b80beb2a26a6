package dev.imet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderboardTest {
    private static Map<String, String> options(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void differingOptionsKeepsOnlyKeysWhoseValuesDifferInFirstSeenOrder() {
        var differing = Leaderboard.differingOptions(List.of(
                options("network.arch", "resnet18", "optimizer.lr", "0.001", "loop.seed", "42"),
                options("network.arch", "resnet18", "optimizer.lr", "0.002", "loop.seed", "42"),
                options("network.arch", "resnet34", "optimizer.lr", "0.001", "loop.seed", "42")));
        assertThat(differing.keySet()).containsExactly("network.arch", "optimizer.lr");
        assertThat(differing.get("network.arch")).containsExactly("resnet18", "resnet18", "resnet34");
        assertThat(differing.get("optimizer.lr")).containsExactly("0.001", "0.002", "0.001");
    }

    @Test
    void aKeyOneRunLacksDiffersAndIsNullThere() {
        var differing = Leaderboard.differingOptions(List.of(options("a", "1", "b", "2"), options("a", "1")));
        assertThat(differing.keySet()).containsExactly("b");
        assertThat(differing.get("b")).isEqualTo(Arrays.asList("2", null));
    }

    @Test
    void identicalRunsOrASingleRunDifferInNothing() {
        assertThat(Leaderboard.differingOptions(List.of(options("a", "1"), options("a", "1")))).isEmpty();
        assertThat(Leaderboard.differingOptions(List.of(options("a", "1")))).isEmpty();
        assertThat(Leaderboard.differingOptions(List.of())).isEmpty();
    }

    @Test
    void namesAreFolderNamesUnlessTwoRunsShareOne() {
        assertThat(Leaderboard.names(List.of(Path.of("/r/x/se50-f0"), Path.of("/r/y/se50-f1"))))
                .containsExactly("se50-f0", "se50-f1");
        assertThat(Leaderboard.names(List.of(Path.of("/r/x/se50-f0"), Path.of("/r/y/se50-f0"))))
                .containsExactly("x/se50-f0", "y/se50-f0");
    }

    private static RunSummary run(String name, Double f2) {
        return new RunSummary(Path.of(name), name, "resnet18", 0, 64, 1, f2, null, null, null, null, null, null,
                RunEnding.FINISHED, null, List.of(), null, null, null);
    }

    @Test
    void ranksByBestF2DescendingWithRunsWithoutACheckLast() {
        var board = new Leaderboard(List.of(run("c", null), run("a", 0.5), run("b", 0.7), run("d", 0.5)));
        assertThat(board.runs()).extracting(RunSummary::name).containsExactly("b", "a", "d", "c");
        assertThat(board.best().name()).isEqualTo("b");
    }
}
