/** The competition metric (SPEC §5): the binarisation rule, mean F2 and the threshold search; one implementation used everywhere. */
package dev.imet.eval;
