package dev.imet.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imet.data.LabelSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * src/test/resources/fixtures/f2_fixture.json, made by fixtures/make_f2_fixture.py: 300 random probability
 * rows of 12 labels (culture and tag), their true labels, and the mean F2 that scikit-learn's
 * {@code fbeta_score(beta=2, average='samples')} gives for several binarisation rules (the rule implemented
 * independently in numpy), plus the best global threshold on the 0.01..0.49 grid.
 */
record F2Fixture(LabelSet labels, float[] probs, int rows, List<int[]> truth, List<Case> cases,
                 Case bestGlobal) {

    /** A rule and the mean F2 scikit-learn gives for it. */
    record Case(String threshold, int maxLabels, Map<String, Integer> maxPerGroup, double f2) {}

    static F2Fixture load() {
        try (InputStream in = F2Fixture.class.getResourceAsStream("/fixtures/f2_fixture.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<String> names = new ArrayList<>();
            root.get("labels").forEach(name -> names.add(name.asText()));
            int rows = root.get("probs").size();
            float[] probs = new float[rows * names.size()];
            int at = 0;
            for (JsonNode row : root.get("probs")) {
                for (JsonNode p : row) {
                    probs[at++] = (float) p.asDouble(); // the values are float32 written exactly as doubles
                }
            }
            List<int[]> truth = new ArrayList<>();
            for (JsonNode row : root.get("truth")) {
                int[] labels = new int[row.size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = row.get(i).asInt();
                }
                truth.add(labels);
            }
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                Map<String, Integer> maxPerGroup = new LinkedHashMap<>();
                c.get("maxPerGroup").fields().forEachRemaining(e -> maxPerGroup.put(e.getKey(), e.getValue().asInt()));
                cases.add(new Case(c.get("threshold").asText(), c.get("maxLabels").asInt(), maxPerGroup,
                        c.get("f2").asDouble()));
            }
            JsonNode search = root.get("search");
            Case best = new Case(search.get("threshold").asText(), search.get("maxLabels").asInt(), Map.of(),
                    search.get("f2").asDouble());
            return new F2Fixture(new LabelSet(names), probs, rows, truth, cases, best);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
