package org.weft.plugins.resourcemonitor;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code weft:profile start|stop|status|trace FILE|report FILE}. */
@Component(service = Object.class, property = {"osgi.command.scope=weft", "osgi.command.function=profile"})
public final class ProfileCommands {

    /** How long the shell waits for the worker processes' part of an action. */
    private static final long TIMEOUT_SECONDS = 120;

    private final ProfilerComponent profiler;

    @Activate
    public ProfileCommands(@Reference ProfilerComponent profiler) {
        this.profiler = profiler;
    }

    @Descriptor("Profile the cluster: start | stop | status | trace FILE (Chrome/Perfetto JSON) | report FILE (HTML)")
    public void profile(@Descriptor("start, stop, status, trace FILE or report FILE") String... args) throws Exception {
        List<String> lines;
        try {
            lines = profiler.service().run(args == null ? List.of() : Arrays.asList(args)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            lines = List.of(e.getMessage());
        } catch (ExecutionException e) {
            lines = List.of("profile failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            lines = List.of("no answer from every worker process within " + TIMEOUT_SECONDS + " s");
        }
        lines.forEach(System.out::println);
    }
}
