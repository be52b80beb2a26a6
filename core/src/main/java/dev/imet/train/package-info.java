/**
 * The train stage (SPEC §4): the options and their resolution into the run's configuration, the training loop
 * and its listeners (progress, metrics table, best model, checkpoints, the moving average of the weights), early
 * stopping, the optimiser, schedules, mixup and checkpoints; and the learning-rate range test ({@code lr-find}).
 *
 * <p>May import inference, run, eval, model, data and common; no other stage, not cli or bench.
 */
package dev.imet.train;
