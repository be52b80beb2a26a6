package dev.imet.common;

/**
 * Bad input from the user (a data file, a weights file, a prediction file): the message names the file and
 * the line or the image. The command line turns it into exit code 1 and prints only the message.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
