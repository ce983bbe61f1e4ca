package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Dask's {@code workers_to_close}: the workers that are cheapest to retire, idle ones first, then
 * those holding the fewest bytes, then every scheduler plugin's {@code validWorkersDownscaling}
 * filter in turn (the {@code filter} argument). Workers already being retired are not proposed.
 *
 * <p>With {@code n} (close n) or {@code target} (keep target) the count is exact, busy workers
 * included when idle ones are not enough, as in Dask. With neither, Dask keeps enough workers for
 * twice the data held, measured against workers' memory limits; Weft's workers have no memory
 * limit, so it proposes the idle workers and keeps at least one.
 */
final class WorkersToClose {

    private static final Comparator<WorkerRecord> CHEAPEST_FIRST = Comparator
            .comparing((WorkerRecord ws) -> !ws.processing.isEmpty())
            .thenComparingLong(ws -> ws.nbytes)
            .thenComparing(ws -> ws.address);

    private WorkersToClose() {
    }

    static List<String> choose(SchedulerState s, Integer n, Integer target, UnaryOperator<Set<String>> filter) {
        List<WorkerRecord> running = new ArrayList<>();
        for (WorkerRecord ws : s.workers.values()) {
            if (!ws.closingGracefully) {
                running.add(ws);
            }
        }
        int count = running.size();
        Integer close = n;
        if (close == null && target != null) {
            close = count - target;
        }
        int keep = close == null ? 1 : count - Math.max(0, close);
        running.sort(CHEAPEST_FIRST);
        List<String> chosen = new ArrayList<>();
        int remaining = count;
        for (WorkerRecord ws : running) {
            if (close == null && !ws.processing.isEmpty() || remaining - 1 < keep) {
                break;
            }
            chosen.add(ws.address);
            remaining--;
        }
        if (chosen.isEmpty()) {
            return chosen;
        }
        Set<String> allowed = filter.apply(new LinkedHashSet<>(chosen));
        chosen.retainAll(allowed);
        return chosen;
    }
}
