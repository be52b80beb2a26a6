/** What every stage shares: the bad-input exception (exit code 1) and atomic file writes. */
package dev.imet.common;
