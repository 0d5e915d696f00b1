package dev.infinitemap.assembler;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.ID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Builds the runnable runtime folder from feature descriptors.
 * <p>
 * Each feature lists bundles by Maven coordinates; they are resolved like any dependency and
 * copied into {@code bundle/} (or {@code deploy/} for hot-deployed features). The start order
 * and start levels go to {@code conf/bundles.list} and the features' {@code framework-launching-properties}
 * extension to {@code conf/framework.properties}: the launcher needs nothing else, so the
 * list of bundles exists only in the features.
 */
@Mojo(name = "assemble", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class AssembleMojo extends AbstractMojo {

    /** The Feature Launcher extension (OSGi Compendium 160) holding framework properties. */
    static final String LAUNCH_PROPERTIES_EXTENSION = "framework-launching-properties";

    /** Bundle metadata: the start level of a bundle (default 1); higher levels start later. */
    static final String START_LEVEL = "start-level";

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
    private RepositorySystemSession session;

    @Component
    private RepositorySystem repositorySystem;

    /** Feature files whose bundles make up the runtime, in start order. */
    @Parameter(required = true)
    private List<String> features;

    /** Feature files whose bundles ship in {@code deploy/}, hot-deployed and removable. */
    @Parameter
    private List<String> deployFeatures = List.of();

    /**
     * Feature files whose bundles the launcher installs only when a setting asks for them: each
     * gets its own list, {@code conf/<feature name>.list}, beside {@code conf/bundles.list}.
     */
    @Parameter
    private List<String> optionalFeatures = List.of();

    @Parameter(defaultValue = "${project.basedir}/../features")
    private java.io.File featuresDirectory;

    /** Static files of the distribution (bin/, conf/, deploy/, bricks/), copied as they are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/dist")
    private java.io.File distDirectory;

    @Parameter(defaultValue = "${project.build.directory}/infinitemap")
    private java.io.File outputDirectory;

    @Override
    public void execute() throws MojoExecutionException {
        Path outputDirectory = this.outputDirectory.toPath();
        Path distDirectory = this.distDirectory.toPath();
        try {
            deleteTree(outputDirectory);
            copyTree(distDirectory, outputDirectory);
            for (String dir : List.of("bundle", "conf", "deploy", "bricks", "data", "log", "lib")) {
                Files.createDirectories(outputDirectory.resolve(dir));
            }
            copyLauncher(outputDirectory.resolve("lib"));

            List<String> startOrder = new ArrayList<>();
            Map<String, String> launchProperties = new TreeMap<>();
            for (String name : features) {
                Feature feature = readFeature(name);
                startOrder.addAll(copyBundles(feature, outputDirectory));
                launchProperties.putAll(launchProperties(feature));
            }
            for (String name : optionalFeatures) {
                Files.write(outputDirectory.resolve("conf/" + name.replaceFirst("\\.json$", "") + ".list"),
                        copyBundles(readFeature(name), outputDirectory), StandardCharsets.UTF_8);
            }
            for (String name : deployFeatures) {
                for (FeatureBundle bundle : readFeature(name).getBundles()) {
                    copyArtifact(bundle.getID(), outputDirectory.resolve("deploy"));
                }
            }
            Files.write(outputDirectory.resolve("conf/bundles.list"), startOrder, StandardCharsets.UTF_8);
            writeProperties(outputDirectory.resolve("conf/framework.properties"), launchProperties);
            makeScriptsExecutable(outputDirectory.resolve("bin"));
            getLog().info("Assembled " + outputDirectory + " with " + startOrder.size() + " bundles from " + features);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot assemble the runtime in " + outputDirectory + ": " + e, e);
        }
    }

    /** @return the feature's lines of a bundle list: start level and jar, in the feature's order */
    private List<String> copyBundles(Feature feature, Path outputDirectory) throws MojoExecutionException, IOException {
        List<String> lines = new ArrayList<>();
        for (FeatureBundle bundle : feature.getBundles()) {
            Path jar = copyArtifact(bundle.getID(), outputDirectory.resolve("bundle"));
            Object startLevel = bundle.getMetadata().getOrDefault(START_LEVEL, 1);
            lines.add(startLevel + " bundle/" + jar.getFileName());
        }
        return lines;
    }

    private Feature readFeature(String name) throws MojoExecutionException, IOException {
        Path file = featuresDirectory.toPath().resolve(name);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new org.apache.felix.feature.impl.FeatureServiceImpl().readFeature(reader);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("Feature " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> launchProperties(Feature feature) {
        Map<String, String> properties = new TreeMap<>();
        FeatureExtension extension = feature.getExtensions().get(LAUNCH_PROPERTIES_EXTENSION);
        if (extension != null) {
            JsonObject json = Json.createReader(new java.io.StringReader(extension.getJSON())).readObject();
            json.forEach((key, value) -> properties.put(key, value.getValueType() == JsonValue.ValueType.STRING
                    ? json.getString(key) : value.toString()));
        }
        return properties;
    }

    private Path copyArtifact(ID id, Path targetDirectory) throws MojoExecutionException, IOException {
        DefaultArtifact artifact = new DefaultArtifact(id.getGroupId(), id.getArtifactId(), id.getClassifier().orElse(""),
                id.getType().orElse("jar"), id.getVersion());
        try {
            ArtifactRequest request = new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null);
            Path file = repositorySystem.resolveArtifact(session, request).getArtifact().getFile().toPath();
            String name = id.getArtifactId() + "-" + id.getVersion() + id.getClassifier().map(c -> "-" + c).orElse("") + ".jar";
            return Files.copy(file, targetDirectory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("Cannot resolve bundle " + id + " of a feature: " + e.getMessage(), e);
        }
    }

    /** The launcher is this module's own jar plus its runtime dependencies (the framework, SLF4J). */
    private void copyLauncher(Path lib) throws IOException, MojoExecutionException {
        Path launcher = project.getArtifact().getFile() == null ? null : project.getArtifact().getFile().toPath();
        if (launcher == null || !Files.isRegularFile(launcher)) {
            throw new MojoExecutionException("Run the assembler after the jar is packaged: " + project.getArtifact());
        }
        Files.copy(launcher, lib.resolve(project.getArtifactId() + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        for (Artifact dependency : project.getArtifacts()) {
            if (List.of("compile", "runtime").contains(dependency.getScope())) {
                Files.copy(dependency.getFile().toPath(), lib.resolve(dependency.getArtifactId() + ".jar"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    // Properties.store escapes keys and values, but adds a date and writes in hash order; keep
    // its escaping and drop the rest, so the same features give the same file (reproducible builds).
    private static void writeProperties(Path file, Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        StringWriter escaped = new StringWriter();
        properties.store(escaped, null);
        List<String> lines = new ArrayList<>(escaped.toString().lines().filter(line -> !line.startsWith("#")).toList());
        Collections.sort(lines);
        lines.add(0, "# Framework properties from the features' " + LAUNCH_PROPERTIES_EXTENSION + " extensions");
        Files.write(file, lines, StandardCharsets.ISO_8859_1);
    }

    private static void makeScriptsExecutable(Path bin) throws IOException {
        try (Stream<Path> scripts = Files.list(bin)) {
            for (Path script : (Iterable<Path>) scripts::iterator) {
                if (Files.isRegularFile(script)) {
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(path);
            }
        }
    }
}
