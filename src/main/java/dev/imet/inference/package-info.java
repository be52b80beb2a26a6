/** Running a network over images (shared by training, prediction and the benchmark): the predictor with TTA views, the losses, and validation (predict, then search the thresholds). May import data, eval, model and common. */
package dev.imet.inference;
