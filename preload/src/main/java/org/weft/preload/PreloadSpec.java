package org.weft.preload;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One preload as a user named it: a jar's path, a class name, or a Java snippet.
 *
 * @param text what was given, trimmed
 * @param kind which of the three it is
 */
public record PreloadSpec(String text, Kind kind) {

    /** The three forms of a preload. */
    public enum Kind {
        /** A path ending in {@code .jar}. */
        JAR,
        /** A qualified Java class name. */
        CLASS,
        /** Anything else: Java statements for JShell. */
        SNIPPET
    }

    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");
    private static final int LABEL_LENGTH = 60;

    public PreloadSpec {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }

    /** Sorts a preload into its form: {@code *.jar} is a jar, a qualified name a class, the rest a snippet. */
    public static PreloadSpec parse(String given) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("a preload must not be empty: give a jar's path, a class name or a Java snippet");
        }
        String text = given.strip();
        if (text.toLowerCase(java.util.Locale.ROOT).endsWith(".jar")) {
            return new PreloadSpec(text, Kind.JAR);
        }
        return new PreloadSpec(text, CLASS_NAME.matcher(text).matches() ? Kind.CLASS : Kind.SNIPPET);
    }

    /** How errors and logs name it: the path or class, or the snippet quoted (shortened). */
    public String label() {
        if (kind != Kind.SNIPPET) {
            return text;
        }
        String line = text.replaceAll("\\s+", " ");
        return "snippet '" + (line.length() <= LABEL_LENGTH ? line : line.substring(0, LABEL_LENGTH - 3) + "...") + "'";
    }

    @Override
    public String toString() {
        return label();
    }
}
