/**
 * The report stage: {@code report} and {@code runs}, training runs compared after the fact. It reads run folders
 * ({@code config.json}, {@code status.json}, {@code metrics.csv}, {@code model.json}, {@code labels.csv},
 * {@code curves.png}) through their own readers into a leaderboard, and renders it as one self-contained HTML page
 * (inline CSS and JS, images as data: URIs, every text from a file escaped) or as a plain-text table.
 *
 * <p>May import run, eval (the label table), model, data and common; no other stage, not cli or bench.
 */
package dev.imet.report;
