/**
 * The make-submission and score stage (SPEC §7): ensembling prediction files ({@code inference.PredictionFile}), aligning them on the ids of sample_submission.csv, the rule validate stored in a model
 * folder, writing and scoring submission.csv, and the constant baseline a model must beat. Every CSV goes through
 * the data folder's one reader, with check-data's checks.
 *
 * <p>May import inference, eval, model, data and common; no other stage, not cli or bench.
 */
package dev.imet.submit;
