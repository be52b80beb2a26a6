package dev.imet.spark;

import dev.imet.common.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where the Parquet output goes: written whole into a hidden folder beside it, which then takes its place, so a
 * failed job leaves an earlier output as it was and never a half-written one.
 */
final class OutputFolder {
    private final FileSystem fs;
    private final Path target;
    private final Path staging;

    private OutputFolder(FileSystem fs, Path target, Path staging) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
    }

    /** A UsageException when {@code out} exists and may not be replaced. */
    static OutputFolder prepare(String out, boolean overwrite, Configuration conf) {
        try {
            Path target = new Path(out);
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            if (!overwrite && fs.exists(target)) {
                throw new UsageException(out + " exists: give --overwrite to replace it");
            }
            Path staging = new Path(target.getParent(), "." + target.getName() + ".imet-" + UUID.randomUUID());
            return new OutputFolder(fs, target, staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out + ": " + e.getMessage(), e);
        }
    }

    /** Where the job writes. */
    String staging() {
        return staging.toString();
    }

    String target() {
        return target.toString();
    }

    /** The written folder takes the output's place (an earlier output is removed first). */
    void commit() {
        try {
            if (fs.exists(target) && !fs.delete(target, true)) {
                throw new IOException("cannot remove the earlier " + target);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("cannot rename " + staging + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Removes what a failed job wrote. */
    void abandon() {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            // nothing more to do: the hidden folder is named so that it is not mistaken for an output
        }
    }
}
