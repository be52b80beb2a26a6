/**
 * A training run's folder and its configuration file: the run folder's layout, the versioned, strictly read
 * {@code config.json} with the nested training configuration, and provenance. Shared by training (which writes it)
 * and prediction (which takes its defaults from it).
 *
 * <p>May import inference (the loss kinds) and common.
 */
package dev.imet.run;
