/**
 * The data folder of SPEC §1: the one reader of its CSV files ({@code CsvTable}, with the id rules of
 * {@code IdColumn}; {@code AttributeIdsFile} for the id,attribute_ids files, submission.csv and solution.csv
 * included), labels.csv, folds.csv ({@code FoldsFile}) and the images of one fold ({@code FoldSplit}), the checks of the CSVs and the images ({@code DataChecker},
 * whose CSV part runs alone for the commands that read no image), the sample-data generator, image decoding,
 * augmentation and the batch loader.
 *
 * <p>May import common only.
 */
package dev.imet.data;
