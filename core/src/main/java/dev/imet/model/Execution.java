package dev.imet.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a network runs: the precision it computes in, the memory format of its input and how training runs its small
 * convolutions. None changes a file the tool writes; all change speed, and the precision and the small convolutions'
 * algorithm change the numbers a little (the order of the sums).
 *
 * @param chosen why: "given", or what {@code auto} found (the processor's flags, the measurement)
 */
public record Execution(Precision precision, MemoryFormat memoryFormat, SmallConvolutions smallConvolutions,
        String chosen) {
    /** The word for "choose for me" of {@code --precision}, {@code --memory-format} and {@code --small-convolutions}. */
    public static final String AUTO = "auto";

    public Execution {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(memoryFormat, "memoryFormat");
        Objects.requireNonNull(smallConvolutions, "smallConvolutions");
        Objects.requireNonNull(chosen, "chosen");
    }

    /** "bf16, channels-last", with ", small convolutions as matmul" where they are. */
    public String describe() {
        return precision.label() + ", " + memoryFormat.label()
                + (smallConvolutions == SmallConvolutions.MATMUL ? ", small convolutions as matmul" : "");
    }

    /**
     * {@code --precision}, {@code --memory-format} and {@code --small-convolutions} as given: each a value, or null
     * for {@link #AUTO}.
     */
    public record Request(Precision precision, MemoryFormat memoryFormat, SmallConvolutions smallConvolutions) {
        /**
         * {@code --precision} and {@code --memory-format} as given, for a command that only predicts (its small
         * convolutions left to {@code auto}, which runs them direct in inference).
         */
        public static Request parse(String precision, String memoryFormat) {
            return parse(precision, memoryFormat, AUTO);
        }

        /** Parses the options' words; an IllegalArgumentException names the option at fault. */
        public static Request parse(String precision, String memoryFormat, String smallConvolutions) {
            Precision p = null;
            MemoryFormat f = null;
            SmallConvolutions s = null;
            if (!AUTO.equals(precision)) {
                try {
                    p = Precision.ofLabel(precision);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--precision: auto, " + e.getMessage());
                }
            }
            if (!AUTO.equals(memoryFormat)) {
                try {
                    f = MemoryFormat.ofLabel(memoryFormat);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--memory-format: auto, " + e.getMessage());
                }
            }
            if (!AUTO.equals(smallConvolutions)) {
                try {
                    s = SmallConvolutions.ofLabel(smallConvolutions);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--small-convolutions: auto, " + e.getMessage());
                }
            }
            return new Request(p, f, s);
        }

        /** The words again: "auto" for what is left to choose. */
        public String precisionLabel() {
            return precision == null ? AUTO : precision.label();
        }

        public String memoryFormatLabel() {
            return memoryFormat == null ? AUTO : memoryFormat.label();
        }

        public String smallConvolutionsLabel() {
            return smallConvolutions == null ? AUTO : smallConvolutions.label();
        }
    }

    /**
     * {@code auto}'s precision: bfloat16 where the processor computes it natively (AVX-512 BF16 or AMX: the
     * {@code avx512_bf16} or {@code amx_bf16} flag of /proc/cpuinfo), or on a CUDA device that does (compute
     * capability 8 and up; {@code cudaBf16}), float32 elsewhere, where bfloat16 is emulated and slower. With the
     * reason, for the log and config.json.
     */
    public static Execution.Choice autoPrecision(Set<String> cpuFlags, boolean cudaBf16) {
        if (cudaBf16) {
            return new Choice(Precision.BF16, "auto: a CUDA device with bfloat16");
        }
        for (String flag : new String[] {"avx512_bf16", "amx_bf16"}) {
            if (cpuFlags.contains(flag)) {
                return new Choice(Precision.BF16, "auto: the processor has " + flag);
            }
        }
        return new Choice(Precision.FP32, "auto: the processor has neither avx512_bf16 nor amx_bf16");
    }

    /** A precision with the reason it was chosen. */
    public record Choice(Precision precision, String reason) {}

    /** The flags of the first processor in /proc/cpuinfo's text (the line "flags : ..."); empty if none. */
    public static Set<String> cpuFlags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("flags")) {
                return Arrays.stream(line.substring(colon + 1).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
            }
        }
        return Set.of();
    }
}
