package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Lets values of a user type cross processes: task arguments and results that are not JSON-able
 * (see {@link TaskFunction}). Register an implementation as an OSGi service from the bundle that
 * owns the type, e.g. {@code @Component(service = Serializer.class)}; Weft binds every such service
 * dynamically, and unbinds it when its bundle goes. Every process a value of the type reaches
 * (the workers that produce and use it, and a client that gathers it) needs the serializer; a
 * scheduler that only passes the value on does not.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #typeName()} travels with every value and names the type to the reader: keep it
 *       stable (e.g. the class's name) and unique; it never changes for the life of the service.</li>
 *   <li>A serializer takes values of exactly {@link #type()}, not of its subclasses (register one
 *       per class), so the class read back is the class written. It is consulted only for values
 *       that are not JSON-able already: a class implementing {@code List} or {@code Map} travels
 *       as a list or map.</li>
 *   <li>{@link #fromBytes} returns a fresh object the caller owns, of exactly {@link #type()}.</li>
 *   <li>Both methods may be called on any thread, at once: implementations must be thread-safe.
 *       An exception from {@link #toBytes} errs the task that produced the value (or fails the
 *       submit that sent it), naming the type; one from {@link #fromBytes} errs the task that
 *       needed the value, or fails the gather. Nothing else is affected.</li>
 *   <li>A value whose type no serializer takes errs its task with the reason, in a local cluster
 *       too, so a program that works locally works on a cluster.</li>
 * </ul>
 *
 * @param <T> the class of the values
 * @since 1.3
 */
@ConsumerType
public interface Serializer<T> {

    /** The name written with each value, e.g. {@code com.example.Point}. */
    String typeName();

    /** The exact class of the values this serializer writes and reads. */
    Class<T> type();

    /** The bytes of {@code value}. */
    byte[] toBytes(T value) throws Exception;

    /** The value {@link #toBytes} wrote. */
    T fromBytes(byte[] bytes) throws Exception;
}
