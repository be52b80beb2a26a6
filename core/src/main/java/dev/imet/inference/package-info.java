/**
 * Running a network over images, shared by training, prediction and the benchmark: the choice of how it runs
 * ({@code ExecutionChooser}: auto resolved by the hardware and by measuring), the predictor with TTA views,
 * the losses, validation (predict, then search the thresholds), one routine for the training checks and
 * {@code validate}, and the prediction file that predict writes and make-submission reads.
 *
 * <p>May import eval, model, data and common.
 */
package dev.imet.inference;
