package dev.infinitemap.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;

/**
 * A bundle from {@code deploy/} that calls {@code System.exit} ends the whole runtime, and would
 * end it again at every start. The JVM runs shutdown hooks while the calling thread waits inside
 * {@code Runtime.exit}, so a hook can read that thread's stack, name the bundle and class that
 * called, and record it in {@value #FILE}; the next start stops that bundle persistently before
 * the framework starts, so it stays installed but not started.
 * <p>
 * The record is one property per bundle: its location, then {@code "<epoch millis> <class>"}.
 * The daemon's {@code ExitCallers} reads the same file: it reports the held-back bundle as a
 * failed compositor and drops its line (and starts the bundle) once its jar is replaced or removed.
 */
final class ExitCalls {

    static final String FILE = "data/exit-calls.properties";

    /** A recorded call: which bundle, when, from which class. */
    record Call(String location, long atMillis, String className) {
    }

    private ExitCalls() {
    }

    /** Registers the shutdown hook that records a deploy/ bundle calling exit. */
    static void watch(Supplier<Framework> framework, Path home, Logger log) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Framework current = framework.get();
                BundleContext context = current == null ? null : current.getBundleContext();
                if (context == null) {
                    return;
                }
                for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
                    List<String> callers = callersOfExit(stack);
                    if (callers.isEmpty()) {
                        continue;
                    }
                    Optional<Caller> caller = findBundle(context, callers);
                    if (caller.isPresent()) {
                        Bundle bundle = caller.get().bundle();
                        log.error("Bundle {} {} ({}) called System.exit from {}: the runtime stops now. At the next start that bundle "
                                + "stays stopped until its jar is replaced or removed.", bundle.getSymbolicName(), bundle.getVersion(),
                                shortLocation(home, bundle.getLocation()), caller.get().className());
                        record(home, new Call(bundle.getLocation(), System.currentTimeMillis(), caller.get().className()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Could not record which bundle stopped the runtime: {}", e.toString());
            }
        }, "infinitemap-exit-watch"));
    }

    /**
     * Stops every recorded bundle that is still installed, persistently, so neither the framework
     * nor FileInstall starts it. Runs between the framework's init and start.
     */
    static void holdBack(BundleContext context, Path home, Logger log) throws IOException {
        for (Call call : read(home)) {
            Bundle bundle = context.getBundle(call.location());
            if (bundle == null || bundle.getState() == Bundle.UNINSTALLED) {
                continue; // the daemon drops the line
            }
            try {
                bundle.stop();
                log.warn("Not starting bundle {} {} ({}): it called System.exit from {} at {}, which stopped the runtime. "
                        + "Replace or remove its jar to start it again.", bundle.getSymbolicName(), bundle.getVersion(),
                        shortLocation(home, call.location()), call.className(), Instant.ofEpochMilli(call.atMillis()));
            } catch (BundleException | IllegalStateException e) {
                log.warn("Could not keep bundle {} from starting: {}", shortLocation(home, call.location()), e.getMessage());
            }
        }
    }

    /** @return the class names of the frames that called {@code System.exit} or {@code Runtime.exit}, nearest first; empty if the stack is not in exit */
    static List<String> callersOfExit(StackTraceElement[] stack) {
        int exit = -1;
        for (int i = 0; i < stack.length; i++) {
            String type = stack[i].getClassName();
            if (stack[i].getMethodName().equals("exit") && (type.equals("java.lang.Runtime") || type.equals("java.lang.System"))) {
                exit = i;
            }
        }
        List<String> callers = new ArrayList<>();
        for (int i = exit + 1; exit >= 0 && i < stack.length; i++) {
            callers.add(stack[i].getClassName());
        }
        return callers;
    }

    private record Caller(Bundle bundle, String className) {
    }

    // The nearest caller whose class file a bundle not of the runtime's own holds.
    private static Optional<Caller> findBundle(BundleContext context, List<String> callers) {
        for (String className : callers) {
            String entry = className.replace('.', '/') + ".class";
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getBundleId() != 0 && !CoreBundles.isCoreLocation(bundle.getLocation()) && bundle.getEntry(entry) != null) {
                    return Optional.of(new Caller(bundle, className));
                }
            }
        }
        return Optional.empty();
    }

    static List<Call> read(Path home) throws IOException {
        Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        List<Call> calls = new ArrayList<>();
        for (Map.Entry<Object, Object> entry : properties.entrySet()) {
            String[] value = entry.getValue().toString().split(" ", 2);
            try {
                calls.add(new Call(entry.getKey().toString(), Long.parseLong(value[0]), value.length > 1 ? value[1] : "an unknown class"));
            } catch (NumberFormatException e) {
                // a line not written by us: nothing to hold back
            }
        }
        return calls;
    }

    static void record(Path home, Call call) throws IOException {
        Path file = home.resolve(FILE);
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        properties.setProperty(call.location(), call.atMillis() + " " + call.className());
        Files.createDirectories(file.getParent());
        Path staging = file.resolveSibling(file.getFileName() + ".part");
        try (Writer writer = Files.newBufferedWriter(staging, StandardCharsets.UTF_8)) {
            properties.store(writer, "Bundles that called System.exit; they are not started until their jar changes");
        }
        Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // deploy/x.jar rather than file:/home/.../deploy/x.jar
    static String shortLocation(Path home, String location) {
        try {
            Path path = Path.of(URI.create(location.replaceFirst("#.*$", "")));
            Path absoluteHome = home.toAbsolutePath().normalize();
            return path.startsWith(absoluteHome) ? absoluteHome.relativize(path).toString() : path.toString();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return location;
        }
    }
}
