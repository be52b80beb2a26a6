/**
 * The make-folds stage (SPEC §2): {@code MakeFolds} reads labels.csv and train.csv with check-data's checks, splits
 * the rows by multi-label iterative stratification and writes folds.csv (the data package's {@code FoldsFile},
 * which training and prediction read).
 *
 * <p>May import data and common; no other stage, not cli or bench.
 */
package dev.imet.folds;
