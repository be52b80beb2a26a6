/**
 * What every stage shares, at the bottom: bad input and bad usage ({@code InputException}, exit code 1;
 * {@code UsageException}, exit code 2), atomic file writes, the network's input description, the tool version,
 * numpy's .npy format ({@code Npy}: the header and the dtype names every reader and writer uses) and .npz archives
 * ({@code Npz}: prediction files, and the entries of .npz weights files), file text made safe for messages
 * ({@code Printable}), seeds derived from several numbers ({@code Seeds}: every random stream of the data pipeline
 * and of training), and the look of the tool's charts ({@code Charts}, on JFreeChart) and the one PNG writer ({@code Png}).
 *
 * <p>Imports nothing of the project.
 */
package dev.imet.common;
