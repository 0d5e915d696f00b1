package dev.infinitemap.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Starts InfiniteMap Runtime in the foreground: the Felix framework with the core bundles,
 * FileInstall on {@code deploy/}, HTTP and the Web Console; prints one ready line; stops
 * cleanly with exit code 0 on SIGTERM or Ctrl-C.
 */
public final class Main {

    /** Exit code when the settings or the runtime folder are wrong. */
    static final int EXIT_CONFIGURATION = 2;
    /** Exit code when the runtime could not start. */
    static final int EXIT_START_FAILED = 1;

    private static final long HTTP_READY_TIMEOUT_MILLIS = 30_000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final long startNanos;
    private final Settings settings;
    private volatile Framework framework;
    private volatile boolean stopRequested;
    private Logger log;

    private Main(long startNanos, Settings settings) {
        this.startNanos = startNanos;
        this.settings = settings;
    }

    static final String USAGE = """
            Usage: bin/infinitemap [--help]
            Starts InfiniteMap Runtime in the foreground; Ctrl-C or SIGTERM stops it (exit code 0).
            Settings are environment variables (or -D system properties, lower case with dots):
              INFINITEMAP_HTTP_HOST       address HTTP listens on (default 127.0.0.1)
              INFINITEMAP_HTTP_PORT       HTTP port (default 8080)
              INFINITEMAP_ADMIN_PASSWORD  Web Console password of user admin
                                          (unset: generated once, kept in conf/admin.password)
              INFINITEMAP_LEGACY_PORT     a second port for Geometry OS clients (8765 in its
                                          set-up): socket at /, /builder/map/manifest.json
              INFINITEMAP_LEGACY_WEB      a folder of the old web client, served on that port
              INFINITEMAP_CLUSTER_BOOTSTRAP  Kafka bootstrap servers: share one map with the
                                          other runtimes there (unset: this runtime alone)
              INFINITEMAP_CLUSTER_RUNTIME_ID this runtime's id in the cluster (unset: generated
                                          once, kept in conf/runtime.id)
              INFINITEMAP_CLUSTER_MAP     the shared map's name (default "default")
              INFINITEMAP_CLUSTER_ON_DEATH  remove (default) or keep this runtime's tiles when
                                          it stops or dies
              INFINITEMAP_JAVA_OPTS       extra JVM options (read by bin/infinitemap)
            Drop bundles (*.jar), configurations (*.cfg) and tile manifests (*.manifest.json)
            into deploy/; the viewer is at /infinitemap/, the Web Console at /system/console.
            """;

    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        // Slippy tiles are drawn with Java 2D: a server never opens a display, even when one is set.
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(USAGE);
            System.exit(0);
            return;
        }
        if (args.length > 0) {
            // Starting anyway would leave a user who typed a flag with a server they did not ask for.
            System.err.print("InfiniteMap Runtime takes no arguments, got: " + String.join(" ", args) + "\n" + USAGE);
            System.exit(EXIT_CONFIGURATION);
            return;
        }
        Settings settings;
        try {
            settings = Settings.read(System.getenv(), System.getProperties(), defaultHome());
            LogSetup.install(settings.home());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("InfiniteMap Runtime cannot start: " + e.getMessage());
            System.exit(EXIT_CONFIGURATION);
            return;
        }
        System.exit(new Main(startNanos, settings).run());
    }

    private int run() {
        log = LoggerFactory.getLogger("dev.infinitemap.launcher");
        try {
            warnWhenReachableFromOtherMachines();
            checkPortsAreFree();
            AdminPassword password;
            try {
                password = AdminPassword.resolve(settings.adminPassword(), settings.home());
            } catch (IllegalArgumentException e) {
                throw new StartupException(EXIT_CONFIGURATION, e.getMessage());
            }
            password.warning().ifPresent(log::warn);
            handleStopSignals();
            ExitCalls.watch(() -> framework, settings.home(), log);
            boolean first = true;
            while (true) {
                startFramework(password);
                if (first) {
                    announceReady(password);
                    first = false;
                }
                FrameworkEvent stopped = framework.waitForStop(0);
                if (stopped.getType() != FrameworkEvent.STOPPED_UPDATE || stopRequested) {
                    break;
                }
                log.info("The framework was restarted from the Web Console or the shell; starting it again.");
            }
            log.info("InfiniteMap Runtime stopped.");
            return 0;
        } catch (StartupException e) {
            log.error("InfiniteMap Runtime cannot start: {}", e.getMessage());
            stopQuietly();
            return e.exitCode;
        } catch (Exception e) {
            log.error("InfiniteMap Runtime cannot start: {}", e.toString(), e);
            stopQuietly();
            return EXIT_START_FAILED;
        }
    }

    private void startFramework(AdminPassword password) throws Exception {
        List<CoreBundles.Entry> entries = readBundleList(CoreBundles.LIST);
        if (settings.clustered()) {
            entries.addAll(readBundleList(CoreBundles.CLUSTER_LIST));
        }
        Map<String, Object> properties = frameworkProperties(password, CoreBundles.highestStartLevel(entries));
        Optional<String> movedFrom = FrameworkCache.madeElsewhere(settings.home());
        if (movedFrom.isPresent()) {
            log.info("This runtime folder was copied or moved (its framework cache was made for {}): rebuilding the cache; "
                    + "the bundles and configurations in deploy/ are installed again.", movedFrom.get());
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        framework = new Felix(properties);
        framework.init();
        FrameworkCache.belongsTo(settings.home());
        List<Bundle> core = CoreBundles.reconcile(framework.getBundleContext(), entries);
        ExitCalls.holdBack(framework.getBundleContext(), settings.home(), log);
        framework.start();
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : core) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (bundle.getState() != Bundle.ACTIVE && !(fragment && bundle.getState() == Bundle.RESOLVED)) {
                notActive.add(bundle.getSymbolicName());
            }
        }
        if (!notActive.isEmpty()) {
            log.warn("These core bundles did not start: {}. The Web Console's Bundles page says why.", notActive);
        }
        awaitHttp();
    }

    private List<CoreBundles.Entry> readBundleList(String list) throws StartupException {
        try {
            return CoreBundles.read(settings.home(), list);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(EXIT_CONFIGURATION, "cannot read " + list + " in " + settings.home()
                    + " (" + e.getMessage() + "); is this an assembled runtime folder?");
        }
    }

    private Map<String, Object> frameworkProperties(AdminPassword password, int startLevel) throws IOException {
        Map<String, Object> properties = new HashMap<>();
        Properties fromFeatures = new Properties();
        try (Reader reader = Files.newBufferedReader(settings.home().resolve("conf/framework.properties"), StandardCharsets.UTF_8)) {
            fromFeatures.load(reader);
        }
        fromFeatures.forEach((key, value) -> properties.put(key.toString(), value.toString()));

        Path home = settings.home();
        properties.put("infinitemap.home", home.toString());
        properties.put(Constants.FRAMEWORK_STORAGE, home.resolve("data/framework").toString());
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, String.valueOf(startLevel));
        // SLF4J lives on the launcher's class path so every bundle logs to one place. Its 2.0
        // API keeps the 1.7 one, which the Web Console still imports: export both versions.
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17,org.slf4j.spi;version=2.0.17,"
                + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,org.slf4j;version=1.7.36");
        properties.put("felix.log.logger", new FrameworkLogger());
        properties.put("felix.log.level", "2");

        properties.put("felix.fileinstall.dir", home.resolve("deploy").toString());
        properties.put("felix.fileinstall.tmpdir", home.resolve("data/fileinstall").toString());
        properties.put("org.apache.felix.http.host", settings.httpHost());
        properties.put("org.osgi.service.http.port", String.valueOf(settings.httpPort()));
        settings.legacyPort().ifPresent(port -> properties.put("infinitemap.legacy.port", String.valueOf(port)));
        settings.legacyWeb().ifPresent(folder -> properties.put("infinitemap.legacy.web", folder.toString()));
        if (settings.clustered()) {
            properties.putAll(settings.cluster());
            properties.putIfAbsent(Settings.property("INFINITEMAP_CLUSTER_RUNTIME_ID"), RuntimeId.of(settings.home()));
        }
        properties.put("felix.webconsole.username", "admin");
        properties.put("felix.webconsole.password", password.webConsoleHash());

        // A console without a terminal (CI, a service manager) must neither read stdin nor stop the runtime at its end.
        properties.put("gosh.args", System.console() == null ? "--nointeractive --noshutdown" : "--noshutdown");
        return properties;
    }

    private void warnWhenReachableFromOtherMachines() {
        try {
            if (!InetAddress.getByName(settings.httpHost()).isLoopbackAddress()) {
                log.warn("HTTP listens on {}, so other machines can reach this runtime and its Web Console login. "
                        + "Set INFINITEMAP_HTTP_HOST=127.0.0.1 to keep it local.", settings.httpHost());
            }
        } catch (IOException e) {
            // An unknown host fails just below, with a clearer message.
        }
    }

    private void checkPortsAreFree() throws StartupException {
        checkPortIsFree(settings.httpPort(), "INFINITEMAP_HTTP_PORT");
        if (settings.legacyPort().isPresent()) {
            checkPortIsFree(settings.legacyPort().getAsInt(), "INFINITEMAP_LEGACY_PORT");
        }
    }

    private void checkPortIsFree(int port, String setting) throws StartupException {
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.httpHost());
        } catch (UnknownHostException e) {
            throw new StartupException(EXIT_CONFIGURATION, "INFINITEMAP_HTTP_HOST \"" + settings.httpHost() + "\" is not a known host name or address.");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            String hint = String.valueOf(e.getMessage()).contains("already in use")
                    ? "Is another runtime (or the old Geometry OS compositor) running? Choose another port with " + setting + "."
                    : "Is " + settings.httpHost() + " an address of this machine? Check INFINITEMAP_HTTP_HOST.";
            throw new StartupException(EXIT_START_FAILED, "cannot listen on " + settings.httpHost() + ":" + port
                    + " (" + e.getMessage() + "). " + hint);
        }
    }

    // Ready means answering: the Web Console asks for a login, so HTTP and the console are both up;
    // and the Geometry OS listener, a second server started through Config Admin, serves its manifest.
    private void awaitHttp() throws StartupException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HTTP_READY_TIMEOUT_MILLIS);
        int status = -1;
        int legacyStatus = -1;
        while (System.nanoTime() < deadline && !stopRequested) {
            status = HttpProbe.status(settings.clientHost(), settings.httpPort(), "/system/console");
            if (status == 401) {
                if (settings.legacyPort().isEmpty()) {
                    return;
                }
                legacyStatus = HttpProbe.status(settings.clientHost(), settings.legacyPort().getAsInt(), "/builder/map/manifest.json");
                if (legacyStatus == 200) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        if (stopRequested) {
            return;
        }
        if (status == 401) {
            throw new StartupException(EXIT_START_FAILED, "the listener for Geometry OS clients on " + settings.url("http", settings.legacyPort().getAsInt())
                    + " (INFINITEMAP_LEGACY_PORT) did not serve /builder/map/manifest.json within " + HTTP_READY_TIMEOUT_MILLIS / 1000
                    + " s (last status " + legacyStatus + "); see " + LogSetup.LOG_FILE);
        }
        throw new StartupException(EXIT_START_FAILED, "HTTP on " + settings.baseUrl() + " did not answer with the Web Console within "
                + HTTP_READY_TIMEOUT_MILLIS / 1000 + " s (last status " + status + "); see " + LogSetup.LOG_FILE);
    }

    private void announceReady(AdminPassword password) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (password.generated()) {
            System.out.println("Web Console user admin, password " + password.plain() + " (generated now, kept in "
                    + AdminPassword.FILE + "; shown only this once)");
        }
        String where = settings.adminPassword().isPresent() ? "password from INFINITEMAP_ADMIN_PASSWORD"
                : "password in " + AdminPassword.FILE;
        System.out.println(String.format(Locale.ROOT, "InfiniteMap Runtime ready in %.2f s: viewer %s/infinitemap/ , console %s/system/console (user admin, %s)",
                seconds, settings.baseUrl(), settings.baseUrl(), where));
        settings.legacyPort().ifPresent(port -> System.out.println("Geometry OS clients: socket " + settings.url("ws", port) + "/ , manifest "
                + settings.url("http", port) + "/builder/map/manifest.json , bricks " + settings.url("http", port) + "/builder/queue/NAME"
                + settings.legacyWeb().map(folder -> " , pages " + settings.url("http", port) + "/ from " + folder).orElse("")));
        System.out.flush();
    }

    private void handleStopSignals() {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> requestStop("SIG" + name));
        }
    }

    private void requestStop(String why) {
        if (stopRequested) {
            log.warn("Second {} while stopping: exiting now.", why);
            Runtime.getRuntime().halt(0);
        }
        stopRequested = true;
        log.info("Stopping InfiniteMap Runtime ({}).", why);
        if (framework == null) {
            System.exit(0);
        }
        Thread stopper = new Thread(() -> {
            stopQuietly();
            try {
                Framework current = framework;
                if (current != null && current.waitForStop(STOP_TIMEOUT_MILLIS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    log.error("The framework did not stop within {} s; exiting anyway.", STOP_TIMEOUT_MILLIS / 1000);
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "infinitemap-stop");
        stopper.start();
    }

    private void stopQuietly() {
        Framework current = framework;
        if (current == null) {
            return;
        }
        try {
            current.stop();
        } catch (BundleException e) {
            log.warn("Stopping the framework failed: {}", e.getMessage());
        }
    }

    private static Path defaultHome() {
        try {
            // lib/infinitemap-runtime.jar -> the runtime folder
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(".").toAbsolutePath();
        }
    }

    /** A start-up failure with a message for the user and the exit code to end with. */
    private static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        StartupException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
