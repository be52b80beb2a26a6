/** make-folds (SPEC §2): multi-label iterative stratification and the folds.csv file. */
package dev.imet.folds;
