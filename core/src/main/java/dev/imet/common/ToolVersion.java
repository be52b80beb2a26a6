package dev.imet.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this tool, filtered into {@code imet-version.properties} by the build. */
public final class ToolVersion {
    private ToolVersion() {}

    public static String get() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/imet-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
