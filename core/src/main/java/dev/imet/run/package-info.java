/**
 * A training run's folder and its configuration file: the run folder's layout, the versioned, strictly read
 * {@code config.json} with the nested training configuration and provenance, {@code metrics.csv} and
 * {@code status.json}. Shared by training (which writes it)
 * and prediction (which takes its defaults from it).
 *
 * <p>May import inference (the loss kinds), data (the CSV reader, for metrics.csv) and common.
 */
package dev.imet.run;
