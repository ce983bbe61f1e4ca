package org.weft.plugins.resourcemonitor;

import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code weft:profile start|stop|status|trace FILE|report FILE}. */
@Component(service = Object.class, property = {"osgi.command.scope=weft", "osgi.command.function=profile"})
public final class ProfileCommands {

    private final ProfilerComponent profiler;

    @Activate
    public ProfileCommands(@Reference ProfilerComponent profiler) {
        this.profiler = profiler;
    }

    @Descriptor("Profile the cluster: start | stop | status | trace FILE (Chrome/Perfetto JSON) | report FILE (HTML)")
    public void profile(@Descriptor("start, stop, status, trace FILE or report FILE") String... args) throws Exception {
        List<String> lines;
        try {
            lines = profiler.run(args == null ? List.of() : Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            lines = List.of(e.getMessage());
        }
        lines.forEach(System.out::println);
    }
}
