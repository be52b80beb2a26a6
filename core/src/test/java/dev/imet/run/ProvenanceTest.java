package dev.imet.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void theEngineEnvironmentHoldsTheSpeedVariablesThatAreSetInAFixedOrderAndNothingElse() {
        Map<String, String> environment = Map.of("HOME", "/root", "LD_PRELOAD", "/usr/lib/libjemalloc.so.2",
                "GOMP_SPINCOUNT", "3000", "PATH", "/bin");
        assertThat(Provenance.engineEnvironment(environment)).containsExactly(
                Map.entry("GOMP_SPINCOUNT", "3000"), Map.entry("LD_PRELOAD", "/usr/lib/libjemalloc.so.2"));
        assertThat(Provenance.engineEnvironment(Map.of("HOME", "/root"))).isEmpty();
    }
}
