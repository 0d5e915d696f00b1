package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

class FrameworkTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceComponentRuntime scr;

    @Test
    void everyBundleResolvesAndIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                notActive.add(bundle.getSymbolicName() + " in state " + bundle.getState());
            }
        }
        assertThat(notActive).isEmpty();
    }

    @Test
    void everyInfiniteMapComponentIsSatisfied() {
        Bundle[] ours = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().startsWith("dev.infinitemap.") && !b.getSymbolicName().endsWith("-tests"))
                .toArray(Bundle[]::new);
        assertThat(ours).extracting(Bundle::getSymbolicName)
                .contains("dev.infinitemap.api", "dev.infinitemap.log", "dev.infinitemap.map", "dev.infinitemap.daemon");

        List<String> components = new ArrayList<>();
        List<String> unsatisfied = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(ours)) {
            components.add(description.name);
            if (!scr.isComponentEnabled(description)) {
                unsatisfied.add(description.name + " is disabled");
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                // A component without a service must be active: nobody will ever ask for it.
                boolean delayedService = description.serviceInterfaces.length > 0 && configuration.state == ComponentConfigurationDTO.SATISFIED;
                boolean satisfied = configuration.state == ComponentConfigurationDTO.ACTIVE || delayedService;
                if (!satisfied) {
                    unsatisfied.add(description.name + " in state " + configuration.state + " " + Arrays.toString(configuration.unsatisfiedReferences));
                }
            }
        }
        assertThat(components).contains("dev.infinitemap.log.LogWriter", "dev.infinitemap.map.MapService",
                "dev.infinitemap.daemon.deploy.UnusableJarReporter", "dev.infinitemap.daemon.manifest.ManifestInstaller",
                "dev.infinitemap.daemon.delta.DeltaPublisher", "dev.infinitemap.daemon.compositor.CompositorTracker",
                "dev.infinitemap.daemon.compositor.UnresolvedCompositorReporter", "dev.infinitemap.daemon.registry.CompositorStates");
        assertThat(unsatisfied).isEmpty();
    }
}
