/**
 * The competition metric (SPEC §5): the binarisation rule, mean F2 and the threshold search; one implementation
 * used everywhere. Pure functions over arrays.
 *
 * <p>May import data (the label set) and common.
 */
package dev.imet.eval;
