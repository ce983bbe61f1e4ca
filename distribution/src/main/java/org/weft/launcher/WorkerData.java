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
 * log, temporary files and configurations (ConfigAdmin's, {@code config/}). At a worker's or
 * nanny's start the temporary files and configurations of workers and nannies no longer running
 * are deleted; their logs stay.
 *
 * <p>Its bundle cache is kept between starts, in a pool: {@code data/caches/worker-N/} (a nanny's
 * {@code data/caches/nanny-N/}) holds {@code cache/}, the stamps of the jars deployed into it and
 * the installation it belongs to; a process takes the first slot whose {@code lock} file it can
 * lock and holds that lock until it ends, so two running processes never share a cache, and the
 * next one reuses the bundles already installed there instead of installing bundle/ again. The
 * launcher updates the bundles whose jar changed, uninstalls those whose jar is gone and every
 * bundle not from bundle/ ({@link FrameworkHost#onlyRuntimeBundles}): the process starts as from
 * a fresh cache.
 */
final class WorkerData {

    static final String PREFIX = "worker-";
    static final String NANNY_PREFIX = "nanny-";
    static final String POOL = "caches";
    /** Slots tried before a process gives up on the pool and takes a fresh cache of its own. */
    private static final int MAX_SLOTS = 256;
    /** The lock of this process's slot, held (and kept reachable) until the JVM ends. */
    private static final java.util.List<java.nio.channels.FileChannel> HELD = new java.util.concurrent.CopyOnWriteArrayList<>();

    private WorkerData() {
    }

    /** @return the installation with this process's worker folder as its data folder */
    static WeftHome prepare(WeftHome installation) {
        return prepare(installation, PREFIX);
    }

    /**
     * @return the installation with this process's folder {@code data/<prefix>PID} as its data
     *         folder and a slot of {@code data/caches/} as its cache folder
     */
    static WeftHome prepare(WeftHome installation, String prefix) {
        long pid = ProcessHandle.current().pid();
        deleteLeftovers(installation.data(), pid);
        WeftHome own = installation.withData(installation.data().resolve(prefix + pid));
        Path slot = lockSlot(installation.data().resolve(POOL), prefix);
        return slot != null ? own.withCacheFolder(slot) : own;
    }

    /**
     * Locks the first free slot {@code <pool>/<prefix>N}; null when none can be locked (then the
     * process keeps a cache in its own folder, which {@link #deleteLeftovers} clears).
     */
    static Path lockSlot(Path pool, String prefix) {
        for (int i = 0; i < MAX_SLOTS; i++) {
            Path slot = pool.resolve(prefix + i);
            try {
                Files.createDirectories(slot);
                java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(slot.resolve("lock"),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null; // this JVM holds it already
                }
                if (lock != null) {
                    HELD.add(channel);
                    return slot;
                }
                channel.close();
            } catch (IOException e) {
                // this slot cannot be used: the next
            }
        }
        return null;
    }

    /** Deletes cache/, tmp/ and config/ of every data/worker-PID and data/nanny-PID whose process is gone. Best effort. */
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
                    deleteTree(folder.resolve("config"));
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
