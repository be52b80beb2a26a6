package dev.imet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the guide: layers that only point down (command line, benchmark, stages, shared machinery,
 * common), stages independent of each other, no cycles. {@link #MAY_IMPORT} is the table each package's
 * package-info.java states; a new import across packages must be allowed here first.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.imet.";

    /** Which other packages of the project each package may import. */
    static final Map<String, Set<String>> MAY_IMPORT = new LinkedHashMap<>();

    static {
        // the command line, on top
        MAY_IMPORT.put("cli", Set.of("bench", "train", "predict", "submit", "folds", "report",
                "inference", "run", "eval", "model", "data", "common"));
        // the benchmark programs drive the stages' APIs
        MAY_IMPORT.put("bench", Set.of("train", "predict", "submit", "folds", "report",
                "inference", "run", "eval", "model", "data", "common"));
        // the stages: none imports another
        MAY_IMPORT.put("train", Set.of("inference", "run", "eval", "model", "data", "common"));
        MAY_IMPORT.put("predict", Set.of("inference", "run", "eval", "model", "data", "common"));
        MAY_IMPORT.put("submit", Set.of("inference", "eval", "model", "data", "common"));
        MAY_IMPORT.put("folds", Set.of("data", "common"));
        MAY_IMPORT.put("report", Set.of("run", "eval", "model", "data", "common"));
        // the shared machinery
        MAY_IMPORT.put("inference", Set.of("eval", "model", "data", "common"));
        MAY_IMPORT.put("run", Set.of("inference", "data", "common"));
        MAY_IMPORT.put("eval", Set.of("data", "common"));
        MAY_IMPORT.put("model", Set.of("common"));
        MAY_IMPORT.put("data", Set.of("common"));
        // at the bottom
        MAY_IMPORT.put("common", Set.of());
    }

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.imet");
    }

    @Test
    void everyPackageImportsOnlyWhatItsRowAllows() {
        List<String> failures = new ArrayList<>();
        for (var entry : MAY_IMPORT.entrySet()) {
            String pkg = entry.getKey();
            String[] forbidden = MAY_IMPORT.keySet().stream()
                    .filter(other -> !other.equals(pkg) && !entry.getValue().contains(other))
                    .map(other -> ROOT + other + "..").toArray(String[]::new);
            if (forbidden.length == 0) {
                continue;
            }
            EvaluationResult result = noClasses().that().resideInAPackage(ROOT + pkg + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .because("package-info.java of " + pkg + " says it may import only " + entry.getValue())
                    .evaluate(classes);
            if (result.hasViolation()) {
                failures.add(result.getFailureReport().toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    @Test
    void everyPackageHasARow() {
        List<String> unknown = classes.stream().map(c -> c.getPackageName())
                .filter(p -> p.startsWith(ROOT))
                .map(p -> p.substring(ROOT.length()).split("\\.")[0])
                .distinct().filter(p -> !MAY_IMPORT.containsKey(p)).toList();
        if (!unknown.isEmpty()) {
            throw new AssertionError("packages without a row in MAY_IMPORT: " + unknown);
        }
    }

    @Test
    void noCycles() {
        slices().matching(ROOT + "(*)..").should().beFreeOfCycles().check(classes);
    }
}
