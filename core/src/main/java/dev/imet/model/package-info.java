/**
 * The model zoo (SPEC §3): a registry of architectures that mirror the PyTorch layouts, each with its input
 * defaults, resolved by name in one place; weights in and out (safetensors, .pth, .npz); the model folder.
 *
 * <p>May import common only.
 */
package dev.imet.model;
