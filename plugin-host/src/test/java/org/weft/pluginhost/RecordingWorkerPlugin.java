package org.weft.pluginhost;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.weft.plugin.api.ReleaseKeyEvent;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.plugin.api.WorkerView;

/** Records setup, events and teardown into a shared journal; can refuse setup or fail its hooks. */
class RecordingWorkerPlugin implements WorkerPlugin {

    final String tag;
    final List<String> journal;
    boolean failSetup;
    boolean failTransitions;

    RecordingWorkerPlugin(String tag, List<String> journal) {
        this.tag = tag;
        this.journal = journal;
    }

    RecordingWorkerPlugin(String tag) {
        this(tag, new CopyOnWriteArrayList<>());
    }

    @Override
    public void setup(WorkerView worker) {
        journal.add(tag + ":setup:" + worker.address());
        if (failSetup) {
            throw new IllegalStateException("setup refused on purpose");
        }
    }

    @Override
    public void teardown(WorkerView worker) {
        journal.add(tag + ":teardown:" + worker.address());
    }

    @Override
    public void transition(WorkerTransitionEvent event) {
        journal.add(tag + ":transition:" + event.key());
        if (failTransitions) {
            throw new IllegalStateException("transition failed on purpose");
        }
    }

    @Override
    public void releaseKey(ReleaseKeyEvent event) {
        journal.add(tag + ":releaseKey:" + event.key());
    }
}
