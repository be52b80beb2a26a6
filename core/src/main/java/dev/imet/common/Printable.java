package dev.imet.common;

import java.util.Locale;

/** Text from a file made safe for a one-line message. */
public final class Printable {
    /** At most this many characters of a file's text go into a message. */
    static final int SHOWN_CHARACTERS = 200;

    private Printable() {}

    /**
     * The text for a message: line breaks, other control characters and invisible format characters escaped as
     * hexadecimal code points, and cut after {@value #SHOWN_CHARACTERS} characters. Text from a hostile file then
     * neither splits a message's line, nor drives the terminal, nor makes a message of megabytes.
     */
    public static String of(String text) {
        StringBuilder printable = new StringBuilder();
        text.codePoints().limit(SHOWN_CHARACTERS).forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.UNASSIGNED) {
                printable.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                printable.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > SHOWN_CHARACTERS ? printable.append("...").toString()
                : printable.toString();
    }
}
