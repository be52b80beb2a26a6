/**
 * Batch prediction on Apache Spark: a model folder run over an image collection into Parquet, through the same
 * model loading, TTA views, predictor and labels rule as {@code predict-test} and {@code make-submission}
 * (core's {@code model}, {@code inference}, {@code eval} and {@code submit}). A separate module, so that core's
 * build, tests and {@code bin/imet} carry none of Spark.
 */
package dev.imet.spark;
