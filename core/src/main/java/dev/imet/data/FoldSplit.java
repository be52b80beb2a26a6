package dev.imet.data;

import dev.imet.common.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The training images of a data folder split by folds.csv: fold k watched (valid), all others trained on. */
public record FoldSplit(List<ImageItem> train, List<ImageItem> valid) {

    /** Reads {@code foldsFile} against the data folder's train ids; an empty fold {@code fold} is an error. */
    public static FoldSplit of(DataFolder data, Path foldsFile, int fold) {
        int[] folds = FoldsFile.read(foldsFile, data.train().stream().map(Sample::id).toList());
        List<ImageItem> train = new ArrayList<>();
        List<ImageItem> valid = new ArrayList<>();
        for (int i = 0; i < folds.length; i++) {
            Sample s = data.train().get(i);
            (folds[i] == fold ? valid : train).add(new ImageItem(s.id(), data.trainImage(s.id()), s.labels()));
        }
        if (valid.isEmpty()) {
            throw new InputException(foldsFile + ": fold " + fold + " holds no image");
        }
        return new FoldSplit(List.copyOf(train), List.copyOf(valid));
    }
}
