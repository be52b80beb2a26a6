/**
 * The predict stage: validate, predict-valid and predict-test (SPEC §6), a model folder run over a validation
 * fold or the test images with TTA views, into prediction files ({@code inference.PredictionFile}); validate's
 * {@code labels.csv} and {@code thresholds.png} beside the model.
 *
 * <p>May import inference, run, eval, model, data and common; no other stage, not cli or bench.
 */
package dev.imet.predict;
