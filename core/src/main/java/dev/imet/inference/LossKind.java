package dev.imet.inference;

/** The training losses of SPEC §4 ({@link Losses}), also what validation reports; {@link Loss} adds parameters. */
public enum LossKind {
    FOCAL,
    BCE,
    /** The asymmetric loss of Ridnik et al. (ICCV 2021), its parameters in {@link Losses.Asymmetric}. */
    ASL
}
