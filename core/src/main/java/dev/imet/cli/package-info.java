/**
 * The command line (picocli), on top of everything: each command parses its options, builds the options record
 * of one stage, calls one method of it and prints the result. Exit codes: 0 ok, 1 bad input
 * ({@code common.InputException}), 2 bad usage (picocli's errors and {@code common.UsageException}).
 *
 * <p>May import every other package; none imports this one.
 */
package dev.imet.cli;
