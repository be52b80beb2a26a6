/** Benchmarks: speed and memory measured by commands, side by side with the Python original, never by timed unit tests. */
package dev.imet.bench;
