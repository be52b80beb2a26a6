/** make-submission and score (SPEC §7): ensembling prediction files, aligning on sample_submission.csv ids, writing and scoring submission.csv. */
package dev.imet.submit;
