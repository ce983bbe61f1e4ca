package org.weft.pluginhost;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.WorkerEvent;

/** Writes every call, tagged, into a journal shared by several plugins, and the thread of each event. */
class RecordingPlugin implements SchedulerPlugin {

    final String tag;
    final List<String> journal;
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile Consumer<TransitionEvent> onTransition = e -> { };

    RecordingPlugin(String tag, List<String> journal) {
        this.tag = tag;
        this.journal = journal;
    }

    RecordingPlugin(String tag) {
        this(tag, new CopyOnWriteArrayList<>());
    }

    /** The keys this plugin saw, in order. */
    List<String> keys() {
        String prefix = tag + ":transition:";
        return journal.stream().filter(s -> s.startsWith(prefix)).map(s -> s.substring(prefix.length())).toList();
    }

    @Override
    public void start(SchedulerView scheduler) {
        journal.add(tag + ":start:" + Thread.currentThread().getName());
    }

    @Override
    public void transition(TransitionEvent event) {
        threads.add(Thread.currentThread().getName());
        journal.add(tag + ":transition:" + event.key());
        onTransition.accept(event);
    }

    @Override
    public void addWorker(WorkerEvent event) {
        journal.add(tag + ":addWorker:" + event.worker());
    }

    @Override
    public void beforeClose() {
        journal.add(tag + ":beforeClose");
    }

    @Override
    public void close() {
        journal.add(tag + ":close:" + Thread.currentThread().getName());
    }
}
