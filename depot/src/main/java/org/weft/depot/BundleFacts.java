package org.weft.depot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a bundle jar says about itself, read from its bytes without installing it: symbolic name,
 * version, the service interfaces it provides and the task-function names it registers.
 *
 * <p>A bundle <em>travels</em> (is sent to every worker) when it provides a
 * {@value #TASK_FUNCTION}, {@value #WORKER_PLUGIN} or {@value #NANNY_PLUGIN} service, as either
 * of these says: the manifest's {@code Provide-Capability} {@code osgi.service} clauses (their
 * {@code objectClass}, which bnd writes for every DS component), or the DS component descriptions
 * the {@code Service-Component} header names ({@code <provide interface="…"/>}). Function names
 * come from those descriptions' {@code weft.task.function.name} property.
 */
public record BundleFacts(String symbolicName, String version, Set<String> services, Set<String> functions) {

    public static final String TASK_FUNCTION = "org.weft.plugin.api.TaskFunction";
    public static final String WORKER_PLUGIN = "org.weft.plugin.api.WorkerPlugin";
    public static final String NANNY_PLUGIN = "org.weft.plugin.api.NannyPlugin";
    public static final String FUNCTION_NAME = "weft.task.function.name";
    /** How a bundle is judged, for error messages. */
    static final String HOW = "no osgi.service capability or DS component provides " + TASK_FUNCTION + ", "
            + WORKER_PLUGIN + " or " + NANNY_PLUGIN;

    /** Whether workers need this bundle: it provides a task function, a worker plugin or a nanny plugin. */
    public boolean travels() {
        return services.contains(TASK_FUNCTION) || services.contains(WORKER_PLUGIN) || services.contains(NANNY_PLUGIN);
    }

    /**
     * Reads a bundle jar.
     *
     * @throws IllegalArgumentException if the bytes are not a jar with a manifest naming a {@code Bundle-SymbolicName}
     */
    public static BundleFacts read(byte[] jar) {
        Manifest manifest = null;
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (name.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(zip);
                } else if (name.endsWith(".xml") && !e.isDirectory()) {
                    entries.put(name, zip.readAllBytes());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable jar: " + e.getMessage(), e);
        }
        if (manifest == null) {
            throw new IllegalArgumentException("not a bundle: the jar has no META-INF/MANIFEST.MF");
        }
        Attributes main = manifest.getMainAttributes();
        String name = main.getValue("Bundle-SymbolicName");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("not a bundle: its manifest has no Bundle-SymbolicName");
        }
        name = name.split(";", 2)[0].trim();
        String version = main.getValue("Bundle-Version");
        version = version == null || version.isBlank() ? "0.0.0" : version.trim();
        Set<String> services = new LinkedHashSet<>(providedServices(main.getValue("Provide-Capability")));
        Set<String> functions = new LinkedHashSet<>();
        String components = main.getValue("Service-Component");
        if (components != null) {
            for (String path : Headers.clauses(components)) {
                byte[] xml = entries.get(Headers.path(path));
                if (xml != null) {
                    readComponent(xml, services, functions);
                }
            }
        }
        return new BundleFacts(name, version, services, functions);
    }

    /** The objectClass values of the {@code osgi.service} capabilities. */
    static List<String> providedServices(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (String clause : Headers.clauses(header)) {
            List<String> parts = Headers.parts(clause);
            if (!parts.get(0).trim().equals("osgi.service")) {
                continue;
            }
            for (String attr : parts.subList(1, parts.size())) {
                int eq = attr.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = attr.substring(0, eq).trim();
                if (key.equals("objectClass") || key.startsWith("objectClass:")) {
                    for (String c : Headers.unquote(attr.substring(eq + 1).trim()).split(",")) {
                        if (!c.isBlank()) {
                            out.add(c.trim());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void readComponent(byte[] xml, Set<String> services, Set<String> functions) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            return; // not a component description this can read: the manifest's capabilities still count
        }
        NodeList components = doc.getElementsByTagNameNS("*", "component");
        if (components.getLength() == 0) {
            components = doc.getElementsByTagName("component");
        }
        for (int i = 0; i < components.getLength(); i++) {
            Element component = (Element) components.item(i);
            List<String> provides = new ArrayList<>();
            NodeList provide = component.getElementsByTagNameNS("*", "provide");
            for (int p = 0; p < provide.getLength(); p++) {
                provides.add(((Element) provide.item(p)).getAttribute("interface").trim());
            }
            services.addAll(provides);
            if (!provides.contains(TASK_FUNCTION)) {
                continue;
            }
            NodeList properties = component.getElementsByTagNameNS("*", "property");
            for (int p = 0; p < properties.getLength(); p++) {
                Element property = (Element) properties.item(p);
                if (FUNCTION_NAME.equals(property.getAttribute("name"))) {
                    String value = property.hasAttribute("value") ? property.getAttribute("value") : property.getTextContent();
                    for (String line : value.split("\n")) {
                        if (!line.isBlank()) {
                            functions.add(line.trim());
                        }
                    }
                }
            }
        }
    }
}
