package org.weft.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The abstract resources a worker offers, as settings and command lines spell them
 * ({@code worker.resources}, {@code --resources}): read by a worker, and by the scheduler's
 * settings reader, which checks the key without running any worker.
 */
public final class ResourceSpec {

    private ResourceSpec() {
    }

    /**
     * Parses {@code NAME=QUANTITY[,NAME=QUANTITY...]}, e.g. {@code GPU=1,MEMORY=8e9}. Blank means
     * no resources.
     *
     * @throws IllegalArgumentException naming the part that is not {@code NAME=QUANTITY} with a
     *         finite, non-negative quantity, or a name given twice
     */
    public static Map<String, Double> parse(String spec) {
        Map<String, Double> resources = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return resources;
        }
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).trim();
            String quantity = eq < 0 ? "" : part.substring(eq + 1).trim();
            double value;
            try {
                value = Double.parseDouble(quantity);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_.-]*") || !(value >= 0)
                    || Double.isInfinite(value) || quantity.endsWith("d") || quantity.endsWith("f")
                    || quantity.endsWith("D") || quantity.endsWith("F")) {
                throw new IllegalArgumentException("resources must be NAME=QUANTITY[,NAME=QUANTITY...] with a"
                        + " non-negative number, e.g. GPU=1,MEMORY=8e9; bad part '" + part.trim() + "' in '" + spec
                        + "'");
            }
            if (resources.put(name, value) != null) {
                throw new IllegalArgumentException("resource '" + name + "' is given twice in '" + spec + "'");
            }
        }
        return resources;
    }
}
