package org.weft.plugins.rabbitmq;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Makes a {@link RabbitMqConfig} from a map of the same keys as the {@code .cfg} file
 * ({@code buffer.diskBytes}, ...), the unset ones at their defaults: what DS does, for code that
 * runs the publisher without OSGi (tests, benchmarks).
 */
final class ConfigMaps {

    private ConfigMaps() {
    }

    static RabbitMqConfig config(Map<String, ?> values) {
        return (RabbitMqConfig) Proxy.newProxyInstance(RabbitMqConfig.class.getClassLoader(),
                new Class<?>[] {RabbitMqConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class || method.getName().equals("annotationType")) {
                        return method.getName().equals("annotationType") ? RabbitMqConfig.class
                                : method.getName().equals("toString") ? "RabbitMqConfig" + values
                                : method.getName().equals("hashCode") ? values.hashCode() : proxy == args[0];
                    }
                    Object v = values.get(method.getName().replace('_', '.'));
                    return v == null ? method.getDefaultValue() : convert(v, method);
                });
    }

    private static Object convert(Object v, Method method) {
        Class<?> type = method.getReturnType();
        String s = v.toString().trim();
        if (type == int.class) {
            return Integer.parseInt(s);
        }
        if (type == long.class) {
            return Long.parseLong(s);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(s);
        }
        return v.toString();
    }
}
