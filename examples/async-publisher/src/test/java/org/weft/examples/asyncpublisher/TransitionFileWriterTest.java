package org.weft.examples.asyncpublisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

class TransitionFileWriterTest {

    @TempDir
    Path dir;

    private static TransitionFileWriter.Config config(String path) {
        return new TransitionFileWriter.Config() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return TransitionFileWriter.Config.class;
            }
        };
    }

    private static TransitionEvent event(String key, SchedulerTaskState start, SchedulerTaskState finish,
            String worker) {
        return new TransitionEvent(key, start, finish, "s-" + key, worker, -1, null, null, null, null);
    }

    @Test
    void appendsOneLinePerTransitionAndClosesTheFile() throws Exception {
        Path file = dir.resolve("transitions.log");
        Files.writeString(file, "earlier line\n");
        TransitionFileWriter plugin = new TransitionFileWriter(config(file.toString()));

        plugin.start(null);
        plugin.transition(event("a", WAITING, PROCESSING, "tcp://w1"));
        plugin.transition(event("a", PROCESSING, MEMORY, null));
        plugin.close();

        assertEquals(List.of(
                "earlier line",
                "s-a a waiting -> processing on tcp://w1",
                "s-a a processing -> memory"), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Test
    void defaultsToTheTemporaryDirectory() {
        TransitionFileWriter plugin = new TransitionFileWriter(config(""));

        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "weft-transitions.log"), plugin.path());
    }
}
