package dev.imet.spark;

import dev.imet.common.InputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one image's bytes through Hadoop's file systems (a local path, {@code file:}, {@code hdfs:}, {@code s3a:}
 * with its connector on the classpath, ...); a missing or unreadable file is an {@link InputException} naming it.
 */
final class ImageBytes {
    private final Configuration conf;

    /** @param hadoopConf the driver's Hadoop configuration, so executors reach the file systems it does */
    ImageBytes(Map<String, String> hadoopConf) {
        conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
    }

    byte[] read(String location) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                throw new InputException("not an image file but a folder: " + location);
            }
            if (status.getLen() > ModelFiles.MAX_FILE_BYTES) {
                throw new InputException("image " + location + ": " + status.getLen() + " bytes, too large to read");
            }
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new InputException("image not found: " + location);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a location Hadoop cannot parse or has no file system for
            throw new InputException("cannot read image " + location + ": " + e.getMessage(), e);
        }
    }
}
