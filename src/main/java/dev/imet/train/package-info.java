/** train (SPEC §4): the configuration, the training loop and its listeners (progress, metrics, checkpoints, early stopping), losses, optimiser and schedules. */
package dev.imet.train;
