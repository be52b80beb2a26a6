package dev.imet.data;

import java.nio.file.Path;

/** One image to load: its id, its file, and its label ids (sorted, distinct; empty for test images). */
public record ImageItem(String id, Path path, int[] labels) {}
