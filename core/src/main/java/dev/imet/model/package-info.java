/**
 * The model zoo (SPEC §3): a registry of architectures that mirror the PyTorch layouts, each with its input
 * defaults, resolved by name in one place; their forward pass, one TorchScript script generated from the layout at
 * either precision ({@code ForwardScript}, written as an archive without Python and run on the DJL blocks'
 * parameters); how a network runs ({@code Execution}: precision, memory format, auto's precision rule); weights in
 * and out (safetensors, .pth, .npz); the model folder.
 *
 * <p>May import common only.
 */
package dev.imet.model;
