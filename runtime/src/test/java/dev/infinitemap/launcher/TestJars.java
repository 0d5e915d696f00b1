package dev.infinitemap.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/** Builds the jars the end-to-end tests drop into deploy/. */
final class TestJars {

    private TestJars() {
    }

    /** A jar with the given main manifest headers and entries. */
    static byte[] jar(Map<String, String> headers, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach(manifest.getMainAttributes()::putValue);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
            }
        }
        return bytes.toByteArray();
    }

    /** A bundle that imports a package no bundle exports. */
    static byte[] unresolvableBundle(String symbolicName, String missingPackage) throws IOException {
        return jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName, "Bundle-Version", "1.0.0",
                "Import-Package", missingPackage), Map.of());
    }

    /** A bundle whose activator throws in start. */
    static byte[] throwingActivatorBundle(String symbolicName) throws IOException {
        String classFile = "dev/infinitemap/fixture/ThrowingActivator.class";
        byte[] activator;
        try (InputStream in = TestJars.class.getClassLoader().getResourceAsStream(classFile)) {
            activator = in.readAllBytes();
        }
        return jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName, "Bundle-Version", "1.0.0",
                "Bundle-Activator", "dev.infinitemap.fixture.ThrowingActivator", "Import-Package", "org.osgi.framework"),
                Map.of(classFile, activator));
    }

    /**
     * A compositor bundle (it declares the compositor capability) whose activator calls
     * {@code System.exit}, or, with {@code exits} false, the same bundle without the activator.
     */
    static byte[] exitingCompositorBundle(String symbolicName, String version, boolean exits) throws IOException {
        String classFile = "dev/infinitemap/fixture/ExitingActivator.class";
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName,
                "Bundle-Version", version, "Provide-Capability", "dev.infinitemap.compositor;dev.infinitemap.compositor=compositor"));
        if (!exits) {
            return jar(headers, Map.of());
        }
        byte[] activator;
        try (InputStream in = TestJars.class.getClassLoader().getResourceAsStream(classFile)) {
            activator = in.readAllBytes();
        }
        headers.put("Bundle-Activator", "dev.infinitemap.fixture.ExitingActivator");
        headers.put("Import-Package", "org.osgi.framework");
        return jar(headers, Map.of(classFile, activator));
    }

    /**
     * A copy of a bundle jar with some main manifest headers replaced and one text entry
     * rewritten: a new version of a bundle without building one.
     */
    static byte[] rewritten(Path bundle, Map<String, String> headers, String entry, UnaryOperator<String> edit) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarFile in = new JarFile(bundle.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            headers.forEach(manifest.getMainAttributes()::putValue);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry source : Collections.list(in.entries())) {
                    if (source.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new ZipEntry(source.getName()));
                    byte[] content = in.getInputStream(source).readAllBytes();
                    if (source.getName().equals(entry)) {
                        content = edit.apply(new String(content, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    }
                    out.write(content);
                }
            }
        }
        return bytes.toByteArray();
    }

    /** A bundle with a DS component (immediate, no service) whose activate method throws. */
    static byte[] throwingComponentBundle(String symbolicName) throws IOException {
        String classFile = "dev/infinitemap/fixture/ThrowingComponent.class";
        byte[] component;
        try (InputStream in = TestJars.class.getClassLoader().getResourceAsStream(classFile)) {
            component = in.readAllBytes();
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"fixture.throwing\" immediate=\"true\">\n"
                + "  <implementation class=\"dev.infinitemap.fixture.ThrowingComponent\"/>\n</scr:component>\n";
        return jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName, "Bundle-Version", "1.0.0",
                "Service-Component", "OSGI-INF/fixture.throwing.xml"),
                Map.of(classFile, component, "OSGI-INF/fixture.throwing.xml", xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The commons-lang3 jar from the local Maven repository: a real third-party bundle. */
    static byte[] commonsLang3() throws IOException {
        try {
            Path jar = Path.of(org.apache.commons.lang3.StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.readAllBytes(jar);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
