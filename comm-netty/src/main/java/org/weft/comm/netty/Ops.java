package org.weft.comm.netty;

import java.util.HashMap;
import java.util.Map;

import org.weft.protocol.Message;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** A message's op name as it is on the wire, for errors and logs. */
final class Ops {

    private static final Map<Class<?>, String> NAMES = new HashMap<>();

    static {
        for (JsonSubTypes.Type t : Message.class.getAnnotation(JsonSubTypes.class).value()) {
            NAMES.put(t.value(), t.name());
        }
    }

    private Ops() {
    }

    static String name(Message message) {
        return NAMES.getOrDefault(message.getClass(), message.getClass().getSimpleName());
    }
}
