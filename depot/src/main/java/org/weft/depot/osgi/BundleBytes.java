package org.weft.depot.osgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.weft.depot.BundleFacts;

/**
 * The bytes of an installed bundle: read again from its location when that is a URL whose jar is
 * still the installed revision (same symbolic name and version), else rebuilt as a jar from the
 * bundle's own entries.
 */
final class BundleBytes {

    private BundleBytes() {
    }

    static byte[] of(Bundle bundle) throws IOException {
        byte[] fromLocation = fromLocation(bundle);
        if (fromLocation != null) {
            return fromLocation;
        }
        return fromEntries(bundle);
    }

    private static byte[] fromLocation(Bundle bundle) {
        String location = bundle.getLocation();
        try {
            URL url = URI.create(location).toURL();
            if (!"file".equals(url.getProtocol())) {
                return null;
            }
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            }
            BundleFacts facts = BundleFacts.read(bytes);
            return facts.symbolicName().equals(bundle.getSymbolicName())
                    && facts.version().equals(bundle.getVersion().toString()) ? bytes : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] fromEntries(Bundle bundle) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        URL manifestUrl = bundle.getEntry("META-INF/MANIFEST.MF");
        Manifest manifest;
        try (InputStream in = manifestUrl.openStream()) {
            manifest = new Manifest(in);
        }
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            Enumeration<URL> entries = bundle.findEntries("/", "*", true);
            for (URL entry : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
                String path = entry.getPath().startsWith("/") ? entry.getPath().substring(1) : entry.getPath();
                if (path.isEmpty() || path.equals("META-INF/MANIFEST.MF") || path.equals("META-INF/")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(path));
                if (!path.endsWith("/")) {
                    try (InputStream in = entry.openStream()) {
                        in.transferTo(jar);
                    }
                }
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
