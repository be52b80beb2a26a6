/**
 * The competition metric (SPEC §5): the binarisation rule, mean F2, the threshold search and its curves, the
 * rules chosen beyond it (per-label thresholds, labels per image), and the per-label report ({@code labels.csv}: each label's share of the mean F2); one implementation used everywhere.
 * Pure functions over arrays.
 *
 * <p>May import data (the label set) and common.
 */
package dev.imet.eval;
