package org.weft.examples.asyncpublisher;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.weft.plugin.api.AsyncDelivery;
import org.weft.plugin.api.Overflow;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/**
 * Writes one line per transition to a file: the Weft counterpart of the RabbitMQ plugin in Dask's
 * plugin documentation, which publishes transitions so that other processes do the work.
 *
 * <p>{@link AsyncDelivery} makes the host call {@link #transition} on a thread of this plugin's own,
 * through a queue of 1024 events, so file I/O never holds up the scheduler loop. When the queue is
 * full events are dropped (and counted by the host, shown in {@code weft:plugins}) rather than
 * slowing the scheduler. {@code start} and {@code close} still run on the loop thread; an
 * asynchronous plugin must not read the {@link SchedulerView}, and this one does not keep it.
 */
@Component(configurationPid = TransitionFileWriter.PID)
@Designate(ocd = TransitionFileWriter.Config.class)
@PluginName("async-printer")
@AsyncDelivery(queueCapacity = 1024, overflow = Overflow.DROP)
public class TransitionFileWriter implements SchedulerPlugin {

    /** The configuration PID. */
    public static final String PID = "org.weft.examples.asyncpublisher";

    /** The file written when none is configured, in {@code java.io.tmpdir}. */
    public static final String DEFAULT_FILE_NAME = "weft-transitions.log";

    @ObjectClassDefinition(id = PID, name = "Weft transition file writer",
            description = "Appends one line per task transition to a file.")
    public @interface Config {
        @AttributeDefinition(required = false,
                description = "File to append to; empty means java.io.tmpdir/" + DEFAULT_FILE_NAME + ".")
        String path() default "";
    }

    private final Path path;
    private BufferedWriter writer; // opened in start, then used by the delivery thread only

    @Activate
    public TransitionFileWriter(Config config) {
        this.path = config.path().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_FILE_NAME)
                : Path.of(config.path());
    }

    /** The file this plugin appends to. */
    public Path path() {
        return path;
    }

    @Override
    public void start(SchedulerView scheduler) throws IOException {
        writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void transition(TransitionEvent event) {
        try {
            writer.write(event.stimulusId() + ' ' + event.key() + ' ' + event.start() + " -> " + event.finish()
                    + (event.worker() == null ? "" : " on " + event.worker()));
            writer.newLine();
            writer.flush(); // so `tail -f` shows each line as it happens; this is not the loop thread
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + path, e); // the host counts and logs it
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
