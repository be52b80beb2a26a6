package dev.imet.model;

import ai.djl.nn.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The deterministic weight generator of {@code shared/reference/export_reference.py}, written again in Java:
 * for a tensor NAME with N elements, u(i) = mix32(CRC32(NAME) + i * 0x9E3779B9) / 2^32, and the value of an
 * element depends on the tensor's kind (see {@link #fill}).
 */
final class ReferenceGenerator {
    private ReferenceGenerator() {}

    static int mix32(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** u(0..n-1) in [0, 1). */
    static double[] uniform(String name, int n) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        int seed = (int) crc.getValue();
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = (mix32(seed + i * 0x9E3779B9) & 0xffffffffL) / 4294967296.0;
        }
        return u;
    }

    /** The script's input tensor, N x 3 x size x size. */
    static float[] input(int batch, int size) {
        double[] u = uniform("input", batch * 3 * size * size);
        float[] x = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            x[i] = (float) ((2 * u[i] - 1) * 2);
        }
        return x;
    }

    /**
     * Fills every parameter by the script's rules: batch-norm weight and running_var 0.5 + u; batch-norm bias,
     * running_mean and any other bias (2u - 1) * 0.1; conv / linear weights (2u - 1) * sqrt(3 / fan_in).
     */
    static void fill(Map<String, Parameter> parameters) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            String name = e.getKey();
            Parameter p = e.getValue();
            long[] shape = p.getShape().getShape();
            int n = Math.toIntExact(p.getShape().size());
            double[] u = uniform(name, n);
            float[] v = new float[n];
            Parameter.Type type = p.getType();
            boolean scale = type == Parameter.Type.GAMMA || type == Parameter.Type.RUNNING_VAR;
            boolean shift = type == Parameter.Type.BETA || type == Parameter.Type.RUNNING_MEAN || name.endsWith(".bias");
            double bound = Math.sqrt(3.0 / ((double) n / shape[0]));
            for (int i = 0; i < n; i++) {
                v[i] = (float) (scale ? 0.5 + u[i] : shift ? (2 * u[i] - 1) * 0.1 : (2 * u[i] - 1) * bound);
            }
            StateDict.setValues(p, v);
        }
    }
}
