package org.weft.client;

import java.util.Map;

import org.weft.plugin.api.PreloadNode.Role;
import org.weft.preload.ClassPathPreloadLoader;
import org.weft.preload.PreloadArgv;
import org.weft.preload.PreloadException;
import org.weft.preload.Preloads;
import org.weft.preload.StartingNode;

/**
 * A client's preloads ({@link ClientOptions#withPreloads}): found with the class loader that
 * loaded the client (a jar on a class loader of its own), set up once the client is connected,
 * with the client as what {@code node.adapt(Client.class)} gives, torn down when it closes.
 */
final class ClientPreloads {

    static final ClientPreloads NONE = new ClientPreloads(Preloads.none(), null);

    private final Preloads preloads;
    private final ClassPathPreloadLoader loader;

    private ClientPreloads(Preloads preloads, ClassPathPreloadLoader loader) {
        this.preloads = preloads;
        this.loader = loader;
    }

    /** @throws WeftException naming the preload that is not found or refuses its arguments */
    static ClientPreloads load(ClientOptions options) {
        if (options.preloads().isEmpty()) {
            return NONE;
        }
        ClassPathPreloadLoader loader = new ClassPathPreloadLoader(loaderOf());
        try {
            PreloadArgv argv = PreloadArgv.perPreload(options.preloadArgv());
            return new ClientPreloads(Preloads.load(options.preloads(), argv, loader), loader);
        } catch (PreloadException e) {
            loader.close();
            throw new WeftException(e.getMessage() + "; the client does not connect", e);
        }
    }

    private static ClassLoader loaderOf() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClientPreloads.class.getClassLoader();
    }

    /** @throws WeftException naming the preload whose setup threw; the client is closed */
    void setUp(Client client, String address) {
        if (this == NONE) {
            return;
        }
        try {
            preloads.setUp(new StartingNode(Role.CLIENT, address, Map.of(Client.class, client)));
        } catch (PreloadException e) {
            client.close();
            loader.close();
            throw new WeftException(e.getMessage() + "; the client is closed", e);
        }
    }

    void tearDown() {
        if (this == NONE) {
            return;
        }
        preloads.tearDown();
        loader.close();
    }
}
