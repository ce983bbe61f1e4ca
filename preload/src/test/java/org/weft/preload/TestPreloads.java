package org.weft.preload;

import java.util.ArrayList;
import java.util.List;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode;
import org.weft.plugin.api.SchedulerPlugin;

import picocli.CommandLine.Option;

/** Preloads the tests name by class; each records what was called on it in {@link #CALLS}. */
public final class TestPreloads {

    static final List<String> CALLS = new ArrayList<>();

    private TestPreloads() {
    }

    public static class First implements Preload {
        @Override
        public void setup(PreloadNode node) {
            CALLS.add("setup first on " + node.role());
        }

        @Override
        public void teardown(PreloadNode node) {
            CALLS.add("teardown first");
        }
    }

    public static class Second implements Preload {
        @Override
        public void setup(PreloadNode node) {
            CALLS.add("setup second");
        }

        @Override
        public void teardown(PreloadNode node) {
            CALLS.add("teardown second");
            throw new IllegalStateException("teardown trouble");
        }
    }

    public static class Third implements Preload {
        @Override
        public void setup(PreloadNode node) {
            CALLS.add("setup third");
        }

        @Override
        public void teardown(PreloadNode node) {
            CALLS.add("teardown third");
        }
    }

    public static class Throws implements Preload {
        @Override
        public void setup(PreloadNode node) {
            CALLS.add("setup throws");
            throw new IllegalStateException("no GPU here");
        }

        @Override
        public void teardown(PreloadNode node) {
            CALLS.add("teardown throws");
        }
    }

    /** The seed's example in miniature: an option, and a scheduler plugin added. */
    public static class Counting implements Preload {
        @Option(names = "--print-count", negatable = true)
        boolean printCount;

        @Option(names = "--label")
        String label = "none";

        @Override
        public void setup(PreloadNode node) {
            CALLS.add("counting printCount=" + printCount + " label=" + label);
            node.addPlugin(new SchedulerPlugin() { }, PluginOptions.named("counting"));
        }
    }

    public static class AlsoOptions implements Preload {
        @Option(names = "--other")
        boolean other;
    }

    public static class NotAPreload {
    }

    public static class NoDefaultConstructor implements Preload {
        public NoDefaultConstructor(String argument) {
        }
    }
}
