package dev.imet.report;

import static dev.imet.report.RunFixtures.LABELS_HEADER;

import dev.imet.run.RunStatus.State;
import java.nio.file.Path;
import java.util.List;

/** Run folders the page tests share: every way a run can stand, names that try HTML injection. */
final class ReportPages {
    static final String INJECTED_LABEL = "tag::<img src=x onerror=\"document.title='pwned'\">";

    private ReportPages() {}

    /** Four runs under {@code dir}; the best ({@code best}) has curves.png and labels.csv. */
    static List<Path> runs(Path dir) {
        Path best = RunFixtures.run(dir.resolve("best"), "resnet34", 1, 2e-3, 10);
        RunFixtures.status(best, State.STOPPED_EARLY, 400, 500, 0.61, RunFixtures.deadPid(),
                "early stop: no better F2 in 4 checks");
        RunFixtures.curves(best);
        RunFixtures.write(best.resolve("labels.csv"), LABELS_HEADER,
                "4,tag::circle,tag,14,16,12,0.750,0.857,0.0312",
                "11,tag::blue,tag,12,10,9,0.900,0.750,0.0251",
                "0,culture::dark,culture,9,12,7,0.583,0.778,0.0190",
                "7,\"" + INJECTED_LABEL.replace("\"", "\"\"") + "\",tag,7,5,3,0.600,0.429,0.0080",
                "2,\"culture::</td></tr></table><script>document.title='pwned'</script>\",culture,5,0,0,0.000,0.000,0",
                "19,tag::large,tag,2,3,1,0.333,0.500,0.0011");
        Path killed = RunFixtures.run(dir.resolve("killed"), "resnet18", 0, 1e-3, 10);
        RunFixtures.status(killed, State.RUNNING, 120, 500, 0.42, RunFixtures.deadPid(), null);
        Path running = RunFixtures.run(dir.resolve("<b>running&"), "resnet18", 0, 1e-3, 10);
        RunFixtures.status(running, State.RUNNING, 10, 500, null, ProcessHandle.current().pid(), null);
        Path older = RunFixtures.run(dir.resolve("older"), "resnet18", 2, 1e-3, 10);
        RunFixtures.write(older.resolve("config.json"), "{\"version\": 3}");
        RunFixtures.write(older.resolve("metrics.csv"), RunFixtures.METRICS_HEADER,
                "5,1.000,0.001,0.3,0.29,0.4500,0.20,100.0,300,1");
        return List.of(best, killed, running, older);
    }
}
