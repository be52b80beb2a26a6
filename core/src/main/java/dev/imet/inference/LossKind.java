package dev.imet.inference;

/** The training losses of SPEC §4 ({@link Losses}), also what validation reports. */
public enum LossKind {
    FOCAL,
    BCE
}
