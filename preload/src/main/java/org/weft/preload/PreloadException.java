package org.weft.preload;

/** A preload stopped its node from starting; the message names the preload and says why. */
public final class PreloadException extends Exception {

    private static final long serialVersionUID = 1L;

    public PreloadException(String message) {
        super(message);
    }

    public PreloadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "preload X: what went wrong", with the cause's own message where there is one. */
    static PreloadException of(PreloadSpec spec, String what, Throwable cause) {
        String why = cause == null ? "" : ": " + describe(cause);
        return new PreloadException("preload " + spec.label() + ": " + what + why, cause);
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while ((root instanceof java.lang.reflect.InvocationTargetException
                || root instanceof java.util.concurrent.CompletionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getName();
        }
        boolean plain = root instanceof IllegalStateException || root instanceof IllegalArgumentException
                || root instanceof UnsupportedOperationException || root instanceof PreloadException;
        return plain ? message : root.getClass().getSimpleName() + ": " + message;
    }
}
