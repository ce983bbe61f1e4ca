package org.weft.preload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode;

/**
 * A node's preloads: {@link #load} finds them all and sets their options, {@link #setUp} runs
 * their setups in order, {@link #tearDown} their teardowns in reverse. A failure anywhere before
 * the node starts is a {@link PreloadException} naming the preload, after the preloads already
 * set up were torn down.
 */
public final class Preloads {

    private static final Logger LOG = LoggerFactory.getLogger(Preloads.class);
    private static final Preloads NONE = new Preloads(List.of(), List.of());

    private final List<PreloadSpec> specs;
    private final List<Preload> preloads;
    /** The preloads whose setup returned, in order; torn down in reverse. */
    private final List<Integer> setUp = new ArrayList<>();
    private PreloadNode node;

    private Preloads(List<PreloadSpec> specs, List<Preload> preloads) {
        this.specs = specs;
        this.preloads = preloads;
    }

    /** No preloads. */
    public static Preloads none() {
        return NONE;
    }

    /**
     * Finds every preload, in order, and sets its options; runs none of them.
     *
     * @param given each preload as the user named it
     * @throws PreloadException naming the first preload that is not found, cannot be made, or
     *         refuses its arguments; or saying why the arguments fit no preload
     */
    public static Preloads load(List<String> given, PreloadArgv argv, PreloadLoader loader) throws PreloadException {
        if (given.isEmpty() && argv.isEmpty()) {
            return NONE;
        }
        List<PreloadSpec> specs = new ArrayList<>();
        for (String text : given) {
            try {
                specs.add(PreloadSpec.parse(text));
            } catch (IllegalArgumentException e) {
                throw new PreloadException(e.getMessage());
            }
        }
        List<Preload> preloads = new ArrayList<>();
        List<Boolean> declares = new ArrayList<>();
        for (PreloadSpec spec : specs) {
            Preload preload = loader.load(spec);
            preloads.add(preload);
            declares.add(PreloadOptions.declares(preload.getClass()));
        }
        List<List<String>> arguments = argv.assign(specs, declares);
        for (int i = 0; i < specs.size(); i++) {
            PreloadOptions.apply(specs.get(i), preloads.get(i), arguments.get(i));
        }
        return new Preloads(List.copyOf(specs), List.copyOf(preloads));
    }

    public boolean isEmpty() {
        return preloads.isEmpty();
    }

    /** How the preloads were named, in order. */
    public List<String> labels() {
        return specs.stream().map(PreloadSpec::label).toList();
    }

    /**
     * Runs each preload's setup, in order, on this thread.
     *
     * @throws PreloadException naming the preload whose setup threw; those before it were torn
     *         down (in reverse) first
     */
    public synchronized void setUp(PreloadNode node) throws PreloadException {
        if (this.node != null) {
            throw new IllegalStateException("preloads are set up once");
        }
        this.node = node;
        for (int i = 0; i < preloads.size(); i++) {
            PreloadSpec spec = specs.get(i);
            if (node instanceof StartingNode starting) {
                starting.addingFor(spec);
            }
            try {
                preloads.get(i).setup(node);
            } catch (Exception | LinkageError e) {
                tearDown();
                throw PreloadException.of(spec, "setup failed", e);
            }
            setUp.add(i);
            LOG.info("preload {} set up on the {}", spec.label(), node.role().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Runs the teardown of each preload that was set up, in reverse order; logs what throws. Once. */
    public synchronized void tearDown() {
        List<Integer> order = new ArrayList<>(setUp);
        setUp.clear();
        Collections.reverse(order);
        for (int i : order) {
            PreloadSpec spec = specs.get(i);
            try {
                preloads.get(i).teardown(node);
                LOG.info("preload {} torn down", spec.label());
            } catch (Exception | LinkageError e) {
                LOG.warn("preload {}: teardown failed: {}", spec.label(), PreloadException.describe(e), e);
            }
        }
    }
}
