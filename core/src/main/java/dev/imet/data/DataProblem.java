package dev.imet.data;

/**
 * One problem of a data folder: where it is (a CSV file and its 1-based line, a CSV file as a whole, or an
 * image path relative to the data folder) and what is wrong.
 */
public record DataProblem(String location, String message) {
    public static DataProblem atLine(String file, int line, String message) {
        return new DataProblem(file + " line " + line, message);
    }

    public static DataProblem inFile(String file, String message) {
        return new DataProblem(file, message);
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
