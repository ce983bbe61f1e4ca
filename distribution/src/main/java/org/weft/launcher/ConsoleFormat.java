package org.weft.launcher;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record on the terminal: {@code weft: WARNING message (cause)}. Stack traces go to
 * data/log/weft.log only. Named as {@code java.util.logging.ConsoleHandler.formatter} in
 * conf/logging.properties.
 */
public final class ConsoleFormat extends Formatter {

    @Override
    public String format(LogRecord record) {
        String message = formatMessage(record);
        StringBuilder line = new StringBuilder("weft: ").append(record.getLevel().getName()).append(' ').append(message);
        Throwable error = record.getThrown();
        if (error != null && (error.getMessage() == null || !message.contains(error.getMessage()))) {
            line.append(" (").append(error).append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }
}
