/** The networks (SPEC §3): a registry of architectures that mirror the PyTorch layouts, weights in and out, and the model folder. */
package dev.imet.model;
