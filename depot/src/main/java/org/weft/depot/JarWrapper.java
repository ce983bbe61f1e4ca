package org.weft.depot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import aQute.bnd.classfile.AnnotationInfo;
import aQute.bnd.classfile.AnnotationsAttribute;
import aQute.bnd.classfile.Attribute;
import aQute.bnd.classfile.ClassFile;
import aQute.bnd.classfile.ElementValueInfo;
import aQute.bnd.classfile.MethodInfo;
import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.EmbeddedResource;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Resource;

/**
 * Makes a bundle of a plain jar, so a Java user ships task functions without learning OSGi: bnd
 * analyses the jar and computes its {@code Import-Package} (the packages its classes use that the
 * jar does not hold), the bundle exports nothing, and each class annotated
 * {@code @TaskFunctionName("name")} that implements {@code TaskFunction} becomes a DS component
 * providing a {@code TaskFunction} service under that name. The symbolic name and version come
 * from the file name ({@code my-lib-1.2.0.jar}: {@code my-lib}, {@code 1.2.0}).
 */
public final class JarWrapper {

    static final String ANNOTATION = "Lorg/weft/plugin/api/TaskFunctionName;";
    static final String TASK_FUNCTION = "org/weft/plugin/api/TaskFunction";
    private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d+(?:\\.\\d+){0,2})(?:[.-]([A-Za-z0-9_-]+))?");

    private JarWrapper() {
    }

    /**
     * The bundle for a plain jar; a jar that is a bundle already (it has a Bundle-SymbolicName) is returned as it is.
     *
     * @param fileName the jar's file name (gives the bundle its symbolic name and version)
     * @throws IllegalArgumentException if the bytes are not a jar, or it has no class annotated
     *         {@code @TaskFunctionName} implementing {@code TaskFunction}
     */
    public static byte[] wrap(byte[] bytes, String fileName) {
        try (Jar jar = new Jar(fileName, new ByteArrayInputStream(bytes)); Analyzer analyzer = new Analyzer()) {
            Manifest existing = jar.getManifest();
            if (existing != null && existing.getMainAttributes().getValue("Bundle-SymbolicName") != null) {
                return bytes;
            }
            Map<String, String> functions = functions(jar);
            if (functions.isEmpty()) {
                throw new IllegalArgumentException(fileName + " has no class annotated @TaskFunctionName that implements "
                        + "org.weft.plugin.api.TaskFunction: nothing in it could be called by name");
            }
            String[] nameVersion = nameAndVersion(fileName);
            List<String> components = new ArrayList<>();
            functions.forEach((name, type) -> {
                String path = "OSGI-INF/weft-function-" + safe(name) + ".xml";
                jar.putResource(path, new EmbeddedResource(component(name, type), 0L));
                components.add(path);
            });
            analyzer.setJar(jar);
            analyzer.setBundleSymbolicName(nameVersion[0]);
            analyzer.setBundleVersion(nameVersion[1]);
            analyzer.setProperty("Bundle-Name", nameVersion[0] + " (wrapped by Weft)");
            analyzer.setProperty("Private-Package", "*");
            analyzer.setProperty("Import-Package", "*");
            analyzer.setProperty("Service-Component", String.join(",", components));
            analyzer.setProperty("Provide-Capability",
                    "osgi.service;objectClass:List<String>=\"org.weft.plugin.api.TaskFunction\"");
            analyzer.setProperty("-noextraheaders", "true");
            Manifest manifest = analyzer.calcManifest();
            manifest.getMainAttributes().remove(new java.util.jar.Attributes.Name("Export-Package"));
            if (!analyzer.getErrors().isEmpty()) {
                throw new IllegalArgumentException("bnd could not wrap " + fileName + ": " + analyzer.getErrors());
            }
            jar.setManifest(manifest);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 4096);
            jar.write(out);
            return out.toByteArray();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot wrap " + fileName + " into a bundle: " + e.getMessage(), e);
        }
    }

    /** Function name to class name, for each annotated class implementing TaskFunction (directly or through a superclass in the jar). */
    static Map<String, String> functions(Jar jar) throws Exception {
        Map<String, ClassFile> classes = new LinkedHashMap<>();
        for (Map.Entry<String, Resource> e : jar.getResources().entrySet()) {
            if (e.getKey().endsWith(".class") && !e.getKey().startsWith("META-INF/")) {
                try (DataInputStream in = new DataInputStream(e.getValue().openInputStream())) {
                    ClassFile cf = ClassFile.parseClassFile(in);
                    classes.put(cf.this_class, cf);
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (ClassFile cf : classes.values()) {
            String name = annotatedName(cf);
            if (name == null) {
                continue;
            }
            String type = cf.this_class.replace('/', '.');
            if (!implementsTaskFunction(cf, classes)) {
                throw new IllegalArgumentException(type + " is annotated @TaskFunctionName(\"" + name
                        + "\") but does not implement org.weft.plugin.api.TaskFunction");
            }
            if ((cf.access & 0x0400) != 0 || (cf.access & 0x0200) != 0 || (cf.access & 0x0001) == 0) {
                throw new IllegalArgumentException(type + " (@TaskFunctionName \"" + name
                        + "\") must be a public, concrete class");
            }
            if (!hasPublicNoArgConstructor(cf)) {
                throw new IllegalArgumentException(type + " (@TaskFunctionName \"" + name
                        + "\") needs a public constructor without arguments");
            }
            String other = out.putIfAbsent(name, type);
            if (other != null) {
                throw new IllegalArgumentException("two classes are named task function '" + name + "': " + other + " and "
                        + type);
            }
        }
        return out;
    }

    private static String annotatedName(ClassFile cf) {
        for (Attribute a : cf.attributes) {
            if (a instanceof AnnotationsAttribute annotations) {
                for (AnnotationInfo info : annotations.annotations) {
                    if (ANNOTATION.equals(info.type)) {
                        for (ElementValueInfo v : info.values) {
                            if ("value".equals(v.name) && v.value instanceof String s && !s.isBlank()) {
                                return s.trim();
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    private static boolean implementsTaskFunction(ClassFile cf, Map<String, ClassFile> classes) {
        for (ClassFile c = cf; c != null; c = c.super_class == null ? null : classes.get(c.super_class)) {
            for (String i : c.interfaces) {
                if (TASK_FUNCTION.equals(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasPublicNoArgConstructor(ClassFile cf) {
        for (MethodInfo m : cf.methods) {
            if ("<init>".equals(m.name) && "()V".equals(m.descriptor) && (m.access & 0x0001) != 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] component(String name, String type) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"weft.function." + escape(name)
                + "\">\n"
                + "  <implementation class=\"" + escape(type) + "\"/>\n"
                + "  <service><provide interface=\"org.weft.plugin.api.TaskFunction\"/></service>\n"
                + "  <property name=\"" + BundleFacts.FUNCTION_NAME + "\" type=\"String\" value=\"" + escape(name) + "\"/>\n"
                + "</scr:component>\n";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code my-lib-1.2.0-SNAPSHOT.jar} gives {@code my-lib} and {@code 1.2.0.SNAPSHOT}; without a version, {@code 0.0.0}. */
    static String[] nameAndVersion(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        if (base.endsWith(".jar")) {
            base = base.substring(0, base.length() - 4);
        }
        Matcher m = NAME_VERSION.matcher(base);
        String name = base;
        String version = "0.0.0";
        if (m.matches()) {
            name = m.group(1);
            String[] parts = (m.group(2) + ".0.0").split("\\.");
            version = parts[0] + "." + parts[1] + "." + parts[2] + (m.group(3) == null ? "" : "." + m.group(3));
        }
        name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.isEmpty()) {
            name = "unnamed";
        }
        return new String[] {name, version};
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
