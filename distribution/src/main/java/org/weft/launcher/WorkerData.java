package org.weft.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * A worker process's data folder, {@code data/worker-PID} (a nanny's, {@code data/nanny-PID}): its
 * own bundle cache (the framework locks a cache, so two processes never share one), log and
 * temporary files. At a worker's or nanny's start the cache and temporary files of workers and
 * nannies no longer running are deleted; their logs stay.
 */
final class WorkerData {

    static final String PREFIX = "worker-";
    static final String NANNY_PREFIX = "nanny-";

    private WorkerData() {
    }

    /** @return the installation with this process's worker folder as its data folder */
    static WeftHome prepare(WeftHome installation) {
        return prepare(installation, PREFIX);
    }

    /** @return the installation with this process's folder {@code data/<prefix>PID} as its data folder */
    static WeftHome prepare(WeftHome installation, String prefix) {
        long pid = ProcessHandle.current().pid();
        deleteLeftovers(installation.data(), pid);
        return installation.withData(installation.data().resolve(prefix + pid));
    }

    /** Deletes cache/ and tmp/ of every data/worker-PID and data/nanny-PID whose process is gone. Best effort. */
    static void deleteLeftovers(Path data, long self) {
        if (!Files.isDirectory(data)) {
            return;
        }
        try (Stream<Path> folders = Files.list(data)) {
            folders.filter(Files::isDirectory).forEach(folder -> {
                long pid = pid(folder.getFileName().toString());
                if (pid > 0 && pid != self && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                    deleteTree(folder.resolve("cache"));
                    deleteTree(folder.resolve("tmp"));
                }
            });
        } catch (IOException e) {
            // leftovers stay; the next worker tries again
        }
    }

    private static long pid(String name) {
        String prefix = name.startsWith(PREFIX) ? PREFIX : name.startsWith(NANNY_PREFIX) ? NANNY_PREFIX : null;
        if (prefix == null) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
