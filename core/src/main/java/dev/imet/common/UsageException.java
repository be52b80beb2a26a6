package dev.imet.common;

/**
 * Bad usage found below the command line: options that parse but do not make sense together (a learning-rate
 * list of the wrong length, a resumed run given options it cannot take). The command line turns it into exit
 * code 2 and prints only the message.
 */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
