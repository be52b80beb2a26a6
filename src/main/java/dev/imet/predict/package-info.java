/** validate, predict-test, predict-valid (SPEC §6): running a model folder over images with TTA views, and the prediction file format. */
package dev.imet.predict;
