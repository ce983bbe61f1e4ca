package org.weft.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The cluster token that plugin management asks for, as {@code Authorization: Bearer <token>}.
 * Compared in constant time; never logged or sent back.
 */
final class TokenCheck {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    TokenCheck(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the dashboard needs a token for plugin management");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header value carries the token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }
}
