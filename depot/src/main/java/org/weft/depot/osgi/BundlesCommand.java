package org.weft.depot.osgi;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.weft.depot.DepotBundle;
import org.weft.depot.DepotDistributor;

/**
 * {@code weft:bundles}: the depot's bundles, one line per bundle and worker (or nanny, for a bundle
 * of nanny plugins), with its revision and state there.
 */
@Component(service = Object.class, property = {"osgi.command.scope=weft", "osgi.command.function=bundles"})
public final class BundlesCommand {

    private final DepotComponent depot;

    @Activate
    public BundlesCommand(@Reference DepotComponent depot) {
        this.depot = depot;
    }

    @Descriptor("List the bundle depot: each bundle on each worker (nanny plugins: on each nanny), with its version, SHA-256 and state (ACTIVE, PENDING, "
            + "FAILED with the cause, REMOVING)")
    public void bundles() {
        System.out.print(render(depot));
    }

    static String render(DepotComponent depot) {
        if (!depot.isScheduler()) {
            return "the bundle depot runs on a scheduler process (bin/weft scheduler): this process has none\n";
        }
        DepotDistributor distributor = depot.distributor();
        List<DepotBundle> bundles = distributor.depot().bundles();
        List<DepotDistributor.Row> rows = distributor.rows();
        if (bundles.isEmpty() && rows.isEmpty()) {
            return "the depot is empty: drop a bundle into plugins/, install it from this shell, or bin/weft upload it\n";
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"BUNDLE", "VERSION", "SHA-256", "FROM", "WORKER", "STATE"});
        for (DepotBundle b : bundles) {
            boolean any = false;
            for (DepotDistributor.Row r : rows) {
                if (r.symbolicName().equals(b.symbolicName()) && r.state() != DepotDistributor.RowState.REMOVING) {
                    any = true;
                    table.add(new String[] {b.symbolicName(), b.version(), b.shortHash(), b.source(), worker(r),
                        r.state() + (r.cause() == null ? "" : ": " + r.cause())});
                }
            }
            if (!any) {
                table.add(new String[] {b.symbolicName(), b.version(), b.shortHash(), b.source(), "(no worker)", "-"});
            }
        }
        for (DepotDistributor.Row r : rows) {
            if (r.state() == DepotDistributor.RowState.REMOVING) {
                table.add(new String[] {r.symbolicName(), "", shortHash(r.sha256()), "", worker(r), "REMOVING"});
            }
        }
        return format(table);
    }

    private static String worker(DepotDistributor.Row r) {
        return r.workerName() == null || r.workerName().equals(r.worker()) ? r.worker()
                : r.workerName() + " (" + r.worker() + ")";
    }

    private static String shortHash(String sha) {
        return sha == null ? "" : sha.substring(0, Math.min(12, sha.length()));
    }

    private static String format(List<String[]> table) {
        int[] widths = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                out.append(i < row.length - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
