/**
 * Benchmarks: speed and memory measured by commands, side by side with the Python original, never by timed unit
 * tests. They drive the stages' APIs, as the commands do.
 *
 * <p>May import the stages (train, predict, submit, folds, report), the shared machinery (inference, run, eval, model,
 * data) and common; not cli.
 */
package dev.imet.bench;
