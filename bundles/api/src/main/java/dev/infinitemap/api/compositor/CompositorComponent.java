package dev.infinitemap.api.compositor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Marks a DS component as a compositor and names it.
 * <p>
 * As a component property type it sets {@code infinitemap.compositor.name} and
 * {@code infinitemap.compositor.layer} on the service. As a bundle annotation it makes bnd
 * add the {@value CompositorComponent#NAMESPACE} capability to the bundle's manifest, so the
 * runtime knows a bundle is a compositor even when the bundle cannot resolve.
 */
@ComponentPropertyType
@Capability(namespace = CompositorComponent.NAMESPACE, name = "compositor")
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CompositorComponent {

    /** The capability namespace that declares a bundle to be a compositor bundle. */
    String NAMESPACE = "dev.infinitemap.compositor";

    /** The prefix of the service properties this annotation sets. */
    String PREFIX_ = "infinitemap.compositor.";

    /** @return the compositor's name, shown in the API and the console; unique in a runtime */
    String name();

    /** @return the layer; higher layers cover lower ones cell by cell */
    int layer() default 0;
}
