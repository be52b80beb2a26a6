/** The data folder of SPEC §1: reading labels.csv, train.csv, sample_submission.csv, checking them and the images, the sample-data generator, image decoding, augmentation and the batch loader. */
package dev.imet.data;
