package org.weft.node.osgi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.wire.Serializers;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.Serializer;
import org.weft.plugin.api.TaskFunction;

/**
 * What a process does with the {@link TaskFunction} and {@link Serializer} services of any bundle,
 * whichever role binds them: the worker bundle's plugin binder (into its workers' registry, which
 * a local cluster shares with its scheduler), or a scheduler process's scheduler (for
 * {@code run_on_scheduler}, e.g. the resource monitor's {@code weft-profile}).
 */
public final class FunctionServices {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionServices.class);

    private final Supplier<TaskFunctionRegistry> registry;
    private final Map<Long, TaskFunction> functions = new ConcurrentHashMap<>();

    /** @param registry where task functions go (asked at each bind: it may not exist yet when this is made) */
    public FunctionServices(Supplier<TaskFunctionRegistry> registry) {
        this.registry = registry;
    }

    /**
     * A user type's serializer: values of its class cross processes (and roles, in a local
     * cluster) from now on, in this JVM. Unbound when its bundle goes; values of the type still
     * held here stay, but cannot be sent or read any more.
     */
    public void bindSerializer(Serializer<?> serializer) {
        try {
            Serializers.register(serializer);
            LOG.info("serializer '{}' registered for {}", serializer.typeName(), serializer.type().getName());
        } catch (RuntimeException e) {
            LOG.warn("serializer service {} ignored: {}", serializer.getClass().getName(), e.getMessage());
        }
    }

    public void unbindSerializer(Serializer<?> serializer) {
        if (Serializers.unregister(serializer)) {
            LOG.info("serializer '{}' unregistered", serializer.typeName());
        }
    }

    /** A task function service, under its {@link PluginProperties#FUNCTION_NAME}; one without is ignored. */
    public void bindTaskFunction(TaskFunction function, Map<String, Object> props) {
        Object name = props.get(PluginProperties.FUNCTION_NAME);
        if (!(name instanceof String s) || s.isBlank()) {
            LOG.warn("task function service {} has no {} property; ignored", props.get(Constants.SERVICE_ID),
                    PluginProperties.FUNCTION_NAME);
            return;
        }
        functions.put((Long) props.get(Constants.SERVICE_ID), function);
        registry.get().register(s, function);
        LOG.info("task function '{}' registered", s);
    }

    public void unbindTaskFunction(TaskFunction function, Map<String, Object> props) {
        if (functions.remove((Long) props.get(Constants.SERVICE_ID)) != null) {
            registry.get().unregister((String) props.get(PluginProperties.FUNCTION_NAME), function);
        }
    }
}
